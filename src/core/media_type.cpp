#include "core/media_type.h"

#include <magic.h>

#include <mutex>

#include "core/url.h"

namespace tandem {

namespace {

// libmagic's cookie is not thread-safe; sniffing is rare (uploads) and quick.
std::mutex magic_mu;

magic_t Cookie() {
  static magic_t cookie = [] {
    magic_t m = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS | MAGIC_ERROR);
    if (m && magic_load(m, nullptr) != 0) {
      magic_close(m);
      m = nullptr;
    }
    return m;
  }();
  return cookie;
}

bool StartsWith(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }

}  // namespace

std::string SniffMediaType(std::string_view bytes) {
  std::lock_guard lock(magic_mu);
  magic_t m = Cookie();
  const char* type = m ? magic_buffer(m, bytes.data(), bytes.size()) : nullptr;
  return type ? std::string(type) : "application/octet-stream";
}

std::string RefusedMediaType(const std::string& t) {
  static constexpr std::string_view kPrograms[] = {
      "application/x-executable",
      "application/x-pie-executable",
      "application/x-sharedlib",
      "application/x-dosexec",
      "application/x-mach-binary",
      "application/x-elf",
      "application/x-msdownload",
      "application/x-msi",
      "application/vnd.microsoft.portable-executable",
      "text/x-shellscript",
      "text/x-msdos-batch",
      "application/x-java-applet",
  };
  for (auto p : kPrograms)
    if (t == p) return "programs are not stored (" + t + "); keep documents and evidence only";
  return "";
}

std::string ServedMediaType(const std::string& t) {
  if (StartsWith(t, "text/") || t == "image/svg+xml" || StartsWith(t, "application/xhtml") ||
      t == "application/xml" || t == "application/javascript")
    return t == "text/csv" ? "text/csv; charset=utf-8" : "text/plain; charset=utf-8";
  return t;
}

std::string AttachmentDisposition(const std::string& name) {
  std::string ascii = name;
  for (char& c : ascii)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e || c == '"' ||
        c == '\\' || c == ';')
      c = '_';
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + PercentEncode(name);
}

}  // namespace tandem
