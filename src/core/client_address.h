// The client address a request is attributed to: what sign-in throttling,
// lockout and the audit trail key on, so it is computed here and nowhere else.
#pragma once

#include <string>
#include <string_view>

namespace tandem {

// `remote_addr` (the TCP peer), or behind a trusted reverse proxy the last
// hop of `forwarded_for` (X-Forwarded-For): the address our proxy added.
// Earlier hops are whatever the client sent, so trusting them would let it
// choose its own address. An empty or blank last hop falls back to the peer.
std::string ClientAddress(std::string_view remote_addr, std::string_view forwarded_for,
                          bool trust_proxy);

}  // namespace tandem
