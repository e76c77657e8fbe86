// Hostile field values in a page: the list of records (cells, links, tags,
// headings) and the error page rendered with fuzzed text in every slot
// (web/view.h). Input: values separated by newlines.
// Property: values never become markup: the page has exactly as many '<',
// '>' and '"' as the same page rendered with harmless values.
#include <algorithm>
#include <string>
#include <vector>

#include "fuzz_input.h"
#include "web/view.h"

using namespace tandem;
using web::Data;
using web::DataList;
using web::Obj;

namespace {

Data ListPage(const std::vector<std::string>& v) {
  auto at = [&](size_t i) { return web::Text(v[i % v.size()]); };
  DataList heads, rows;
  for (size_t i = 0; i < 3; ++i) heads.push_back(Obj({{"label", at(i)}, {"href", at(i + 1)}}));
  for (size_t r = 0; r < 2; ++r) {
    DataList cells;
    for (size_t i = 0; i < 3; ++i)
      cells.push_back(Obj({{"text", at(r + i + 2)}, {"href", at(r + i + 3)}}));
    rows.push_back(Obj({{"href", at(r)},
                        {"number", at(r + 1)},
                        {"restricted_to", at(r + 2)},
                        {"has_state", true},
                        {"state", at(r + 3)},
                        {"cells", Data(cells)}}));
  }
  return Obj({{"error_summary", at(0)},
              {"title", at(1)},
              {"heads", Data(heads)},
              {"rows", Data(rows)},
              {"next_href", at(2)}});
}

Data ErrorPage(const std::vector<std::string>& v) {
  auto at = [&](size_t i) { return web::Text(v[i % v.size()]); };
  DataList fields;
  fields.push_back(Obj({{"field", at(2)}, {"message", at(3)}}));
  return Obj({{"heading", at(0)}, {"detail", at(1)}, {"fields", Data(fields)}});
}

size_t Markup(const std::string& html) {
  return static_cast<size_t>(std::count_if(
      html.begin(), html.end(), [](char c) { return c == '<' || c == '>' || c == '"'; }));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<std::string> values;
  std::string_view text = fuzz::AsText(data, size);
  while (values.size() < 8) {
    auto [value, rest] = fuzz::FirstLine(text);
    values.emplace_back(value);
    if (rest.empty()) break;
    text = rest;
  }
  // The same slots filled or emptied alike, so only escaping can differ.
  std::vector<std::string> harmless;
  for (const auto& v : values) harmless.push_back(v.empty() ? "" : "x");
  if (Markup(web::Render("list_results", ListPage(values))) !=
      Markup(web::Render("list_results", ListPage(harmless))))
    fuzz::Fail("a value in the record list became markup");
  if (Markup(web::Render("error", ErrorPage(values))) !=
      Markup(web::Render("error", ErrorPage(harmless))))
    fuzz::Fail("a value on the error page became markup");
  return 0;
}
