#include "web/view.h"

#include <map>
#include <memory>
#include <stdexcept>

#include "core/content.h"

namespace tandem::web {

std::string Render(std::string_view name, const Data& data) {
  // Parsed once per thread: kainjow's render is not const, so a parsed
  // template is not shared between threads.
  thread_local std::map<std::string, std::unique_ptr<kainjow::mustache::mustache>, std::less<>>
      cache;
  auto it = cache.find(name);
  if (it == cache.end()) {
    const std::string path = "content/web/templates/" + std::string(name) + ".mustache";
    std::string_view text = content::Get(path);
    if (text.empty()) throw std::logic_error("no template " + path);
    auto t = std::make_unique<kainjow::mustache::mustache>(std::string(text));
    if (!t->is_valid()) throw std::logic_error(path + ": " + t->error_message());
    it = cache.emplace(std::string(name), std::move(t)).first;
  }
  return it->second->render(data);
}

Data Obj(std::initializer_list<std::pair<const std::string, Data>> items) {
  Data d;
  for (const auto& [k, v] : items) d.set(k, v.is_string() ? Text(v.string_value()) : v);
  return d;
}

Data Text(const std::string& s) { return s.empty() ? Data(false) : Data(s); }

std::string Trimmed(const std::string& s) {
  const auto a = s.find_first_not_of(" \t\r\n");
  if (a == std::string::npos) return "";
  return s.substr(a, s.find_last_not_of(" \t\r\n") - a + 1);
}

}  // namespace tandem::web
