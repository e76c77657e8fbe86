#include "http/router.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <stdexcept>

#include "core/url.h"

namespace tandem::http {

using nlohmann::json;

namespace {

bool IsParam(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// "{id}" -> "id"
std::string ParamName(const std::string& segment) { return segment.substr(1, segment.size() - 2); }

}  // namespace

Router::Pattern Router::Parse(const std::string& path) {
  Pattern p;
  p.segments = PathSegments(path);
  if (p.segments.empty() || IsParam(p.segments[0]) || path.front() != '/')
    throw std::logic_error("route '" + path + "' must start with a literal segment");
  for (const auto& s : p.segments) {
    if (IsParam(s))
      p.names.push_back(ParamName(s));
    else if (s.find_first_of("{}") != std::string::npos)
      throw std::logic_error("route '" + path + "' has a malformed segment '" + s + "'");
  }
  return p;
}

long Router::Score(const Pattern& p, const std::vector<std::string>& segments) {
  if (p.segments.size() != segments.size()) return -1;
  long score = 0;
  for (size_t i = 0; i < segments.size(); ++i) {
    const bool literal = !IsParam(p.segments[i]);
    if (literal && p.segments[i] != segments[i]) return -1;
    score = score * 2 + (literal ? 1 : 0);
  }
  return score;
}

void Router::Add(Route route) {
  Pattern pattern = Parse(route.path);
  static const std::vector<std::string> kMethods = {"GET", "POST", "PUT", "PATCH", "DELETE"};
  if (std::find(kMethods.begin(), kMethods.end(), route.method) == kMethods.end())
    throw std::logic_error("route " + route.path + ": unknown method " + route.method);
  if (!route.handler) throw std::logic_error("route " + route.path + " has no handler");
  auto& same_first = by_first_[pattern.segments[0]];
  for (size_t i : same_first) {
    const Pattern& other = patterns_[i];
    bool same_shape = other.segments.size() == pattern.segments.size();
    for (size_t k = 0; same_shape && k < other.segments.size(); ++k) {
      const bool a = IsParam(other.segments[k]), b = IsParam(pattern.segments[k]);
      same_shape = a == b && (a || other.segments[k] == pattern.segments[k]);
    }
    if (same_shape && routes_[i].method == route.method)
      throw std::logic_error("route " + route.method + " " + route.path + " is declared twice");
  }
  same_first.push_back(routes_.size());
  routes_.push_back(std::move(route));
  patterns_.push_back(std::move(pattern));
}

void Router::AddSchema(const std::string& name, json schema) {
  if (schemas_.contains(name) && schemas_[name] != schema)
    throw std::logic_error("schema " + name + " is declared twice, differently");
  schemas_[name] = std::move(schema);
}

Router::Match Router::Find(std::string_view method,
                           const std::vector<std::string>& segments) const {
  Match m;
  if (segments.empty()) return m;
  auto it = by_first_.find(segments[0]);
  if (it == by_first_.end()) return m;
  long best = -1;
  for (size_t i : it->second) {
    const long score = Score(patterns_[i], segments);
    if (score < 0) continue;
    const Route& r = routes_[i];
    m.public_path |= r.access == Access::kPublic;
    if (r.method != method) {
      if (m.allow.find(r.method) == std::string::npos)
        m.allow += (m.allow.empty() ? "" : ", ") + r.method;
      continue;
    }
    if (score > best) {
      best = score;
      m.route = &r;
      m.params.clear();
      for (size_t k = 0; k < segments.size(); ++k)
        if (IsParam(patterns_[i].segments[k])) m.params.push_back(segments[k]);
    }
  }
  if (m.route) m.allow.clear();
  return m;
}

void Router::Describe(json& doc) const {
  auto& paths = doc["paths"];
  for (size_t i = 0; i < routes_.size(); ++i) {
    const Route& r = routes_[i];
    json op = r.operation;
    std::set<std::string> declared;
    for (const auto& p : op.value("parameters", json::array())) {
      // A shared parameter ("$ref": "#/components/parameters/RecordId") is
      // looked up in the document.
      const json* def = &p;
      if (p.contains("$ref")) {
        const std::string ref = p["$ref"];
        def = &doc["components"]["parameters"][ref.substr(ref.rfind('/') + 1)];
      }
      if (def->value("in", "") == "path") declared.insert(def->value("name", ""));
    }
    for (const auto& name : patterns_[i].names)
      if (!declared.count(name))
        op["parameters"].push_back(
            {{"name", name}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}}});
    std::string method = r.method;
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    paths["/api/v1" + r.path][method] = std::move(op);
  }
  for (const auto& [name, schema] : schemas_.items()) doc["components"]["schemas"][name] = schema;
}

}  // namespace tandem::http
