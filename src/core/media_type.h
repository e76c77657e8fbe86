// What a file really is, from its bytes (libmagic), and which kinds the file
// store accepts and how each is served back.
#pragma once

#include <string>
#include <string_view>

namespace tandem {

// The media type of `bytes` as libmagic reads them ("application/pdf"), never
// trusting a name or a type the sender gave; "application/octet-stream" when
// libmagic cannot tell.
std::string SniffMediaType(std::string_view bytes);

// "" when the file store takes files of `media_type`; else why not. Programs
// (executables, libraries, scripts of the machine) are refused: a management
// system keeps documents and evidence, and nothing it stores is ever run.
std::string RefusedMediaType(const std::string& media_type);

// The media type to send a stored file with. Every file is sent as an
// attachment; types a browser would run or render as a page (HTML, SVG,
// XML with scripts) go as text/plain so that nothing stored is executed.
std::string ServedMediaType(const std::string& media_type);

// The Content-Disposition of a download named `name`: an attachment, with an
// ASCII fallback name and the real one percent-encoded (RFC 6266).
std::string AttachmentDisposition(const std::string& name);

// The headers every stored file is sent with beside those: its disposition,
// and a sandbox policy so that nothing in it runs even if opened in place.
inline constexpr const char* kStoredFilePolicy = "sandbox; default-src 'none'";

}  // namespace tandem
