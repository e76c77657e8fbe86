#include "core/client_address.h"

namespace tandem {

std::string ClientAddress(std::string_view remote_addr, std::string_view forwarded_for,
                          bool trust_proxy) {
  if (!trust_proxy || forwarded_for.empty()) return std::string(remote_addr);
  std::string_view last = forwarded_for.substr(forwarded_for.rfind(',') + 1);
  const auto start = last.find_first_not_of(" \t");
  if (start == std::string_view::npos) return std::string(remote_addr);
  last = last.substr(start);
  return std::string(last.substr(0, last.find_last_not_of(" \t") + 1));
}

}  // namespace tandem
