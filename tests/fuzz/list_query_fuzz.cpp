// A list query string (filters of every operator, sort, limit, cursor) as
// the API parses it for a record type (records/query.h ParseListQuery).
// Input: a record type name, a newline, a query string (a=b&c=d, percent-
// encoded). Property: nothing crashes; every refusal names a parameter.
#include <map>
#include <string>

#include "fuzz_input.h"
#include "records/query.h"

using namespace tandem;

namespace {

int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// As the HTTP library decodes a query component: %XX and '+' for a space.
std::string Decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && Hex(s[i + 1]) >= 0 && Hex(s[i + 2]) >= 0) {
      out += static_cast<char>(Hex(s[i + 1]) * 16 + Hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto [name, query] = fuzz::FirstLine(fuzz::AsText(data, size));
  const model::RecordType& type = fuzz::TypeNamed(name);
  std::multimap<std::string, std::string> params;
  while (!query.empty()) {
    const size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const size_t eq = pair.find('=');
    params.emplace(Decode(pair.substr(0, eq)),
                   eq == std::string_view::npos ? "" : Decode(pair.substr(eq + 1)));
  }
  auto parsed = records::ParseListQuery(type, {}, params);
  if (!parsed.ok() && parsed.error().fields.empty() && parsed.error().detail.empty())
    fuzz::Fail("a refused query says nothing about why");
  return 0;
}
