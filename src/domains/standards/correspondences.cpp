// The built-in correspondences, loaded after the catalogs (LoadBuiltinCatalogs
// calls LoadBuiltinCorrespondences):
//   iso27013-2015-table-a1.csv         27001:2013 <-> 20000-1:2011, published
//   catalogs/iso27001-2013-to-2022-annex-a.csv   Annex A 2013 -> 2022, compiled
//   hls-alignment.csv                  clauses 4-10 by HLS clause, compiled
//   hls-no-counterpart.csv             20000-1:2018 clauses outside the HLS, compiled
//   iso20000-1-2011-to-2018.csv        20000-1 editions by subject, compiled
// Lettered items that a correspondence cites ("5.1 c)") become requirements
// of their own, below their clause. A line naming a reference the catalogs do
// not have (27001:2013 clauses 2 and 3, the 20000-1:2011 Introduction) is not
// loaded: content/standards/README.md lists them.
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "core/content.h"
#include "core/csv.h"
#include "domains/domains.h"
#include "domains/standards/catalogs.h"

namespace tandem::domains {

using nlohmann::json;

namespace {

constexpr char kDir[] = "content/standards/";

// (standard key, ref) -> requirement id, and standard key -> standard id.
struct Index {
  std::map<std::string, int64_t> standards;
  std::map<std::pair<std::string, std::string>, int64_t> requirements;
  std::map<int64_t, std::string> standard_keys;
};

Result<Index> BuildIndex(records::Engine& engine, const records::Actor& system) {
  Index ix;
  TANDEM_ASSIGN_OR_RETURN(auto standards, ListAll(engine, system, "standard", {}, true));
  for (const auto& s : standards) {
    ix.standards[s["key"]] = s["id"];
    ix.standard_keys[s["id"]] = s["key"];
  }
  TANDEM_ASSIGN_OR_RETURN(auto requirements, ListAll(engine, system, "requirement", {}, true));
  for (const auto& r : requirements)
    ix.requirements[{ix.standard_keys[r["standard"]], r["ref"]}] = r["id"];
  return ix;
}

// One side of a correspondence line: a reference in a standard, with the
// qualifier printed beside it.
struct Side {
  std::string standard, ref, qualifier;
};

// A single lettered item ("c)") is a requirement of its own; anything else
// ("Para. 1", "a), c), d)") stays a qualifier of the clause.
bool IsItem(const std::string& qualifier) {
  static const std::regex kItem("[a-z]\\)");
  return std::regex_match(qualifier, kItem);
}

Side Normalize(Side s) {
  if (!s.ref.empty() && IsItem(s.qualifier)) {
    s.ref += " " + s.qualifier;
    s.qualifier.clear();
  }
  return s;
}

struct Line {
  std::string key;  // content_key: file and line
  Side source, target;
  std::string target_standard;  // when the target is empty
  std::string relationship, authority, origin, note;
};

std::map<std::string, std::string> Fields(const std::vector<std::string>& header,
                                          const CsvRow& row) {
  std::map<std::string, std::string> f;
  for (size_t i = 0; i < header.size() && i < row.fields.size(); ++i) f[header[i]] = row.fields[i];
  return f;
}

Result<std::vector<CsvRow>> Read(const std::string& file) {
  TANDEM_ASSIGN_OR_RETURN(auto rows, ParseCsv(content::Get(kDir + file)));
  if (rows.empty()) return MakeError(ErrorCode::kInternal, file + " is empty");
  return rows;
}

// A pair where one side may be empty: the empty side becomes the target's
// standard of a no-relationship line.
Line Pair(std::string key, Side a, Side b, std::string relationship, std::string authority,
          std::string origin, std::string note) {
  Line l{
      std::move(key),          Normalize(std::move(a)), Normalize(std::move(b)), "",
      std::move(relationship), std::move(authority),    std::move(origin),       std::move(note)};
  if (l.source.ref.empty()) std::swap(l.source, l.target);
  if (l.target.ref.empty()) l.target_standard = l.target.standard;
  return l;
}

Result<std::vector<Line>> TableA1() {
  TANDEM_ASSIGN_OR_RETURN(auto rows, Read("iso27013-2015-table-a1.csv"));
  std::vector<Line> out;
  for (size_t i = 1; i < rows.size(); ++i) {
    auto f = Fields(rows[0].fields, rows[i]);
    out.push_back(
        Pair("27013-a1:" + std::to_string(rows[i].line),
             {"iso27001:2013", f["iso27001_2013_ref"], f["iso27001_2013_qualifier"]},
             {"iso20000-1:2011", f["iso20000_1_2011_ref"], f["iso20000_1_2011_qualifier"]},
             f["relationship"], "published", "ISO/IEC 27013:2015 Table A.1, row " + f["row"],
             f["note"]));
  }
  return out;
}

Result<std::vector<Line>> AnnexA() {
  TANDEM_ASSIGN_OR_RETURN(auto rows, Read("catalogs/iso27001-2013-to-2022-annex-a.csv"));
  std::vector<Line> out;
  for (size_t i = 1; i < rows.size(); ++i) {
    auto f = Fields(rows[0].fields, rows[i]);
    const bool added = f["iso27001_2013"].empty();
    out.push_back(
        Pair("annex-a:" + std::to_string(rows[i].line), {"iso27001:2013", f["iso27001_2013"], ""},
             {"iso27001:2022", f["iso27001_2022"], ""}, added ? "no-relationship" : "intersect",
             "compiled", "After ISO/IEC 27002:2022 Annex B, compiled and not verified",
             added ? "new in 2022" : ""));
  }
  return out;
}

// Each row aligns one HLS clause across four standards: one line per pair
// of standards that both have it.
Result<std::vector<Line>> Hls() {
  TANDEM_ASSIGN_OR_RETURN(auto rows, Read("hls-alignment.csv"));
  const std::pair<const char*, const char*> columns[] = {{"iso27001_2013", "iso27001:2013"},
                                                         {"iso27001_2022", "iso27001:2022"},
                                                         {"iso20000-1_2018", "iso20000-1:2018"},
                                                         {"iso9001_2015", "iso9001:2015"}};
  std::vector<Line> out;
  for (size_t i = 1; i < rows.size(); ++i) {
    auto f = Fields(rows[0].fields, rows[i]);
    for (size_t a = 0; a < 4; ++a)
      for (size_t b = a + 1; b < 4; ++b) {
        const auto& [col_a, std_a] = columns[a];
        const auto& [col_b, std_b] = columns[b];
        if (f[col_a].empty() || f[col_b].empty()) continue;
        out.push_back(
            Pair("hls:" + std::to_string(rows[i].line) + ":" + std_a + ":" + std_b,
                 {std_a, f[col_a], ""}, {std_b, f[col_b], ""}, "intersect", "compiled",
                 "High level structure clause " + f["hls_clause"] + " (" + f["origin"] + ")",
                 f["note"]));
      }
  }
  return out;
}

// The 20000-1:2018 clauses the high level structure has no place for (the
// service management subclauses of clause 8, 6.3, 7.5.4, 7.6, 9.4): an
// explicit no-relationship line to each other HLS standard, so that no
// reader takes the silence for an oversight.
Result<std::vector<Line>> NoHlsCounterpart() {
  TANDEM_ASSIGN_OR_RETURN(auto rows, Read("hls-no-counterpart.csv"));
  std::vector<Line> out;
  for (size_t i = 1; i < rows.size(); ++i) {
    auto f = Fields(rows[0].fields, rows[i]);
    for (const char* other : {"iso27001:2013", "iso27001:2022", "iso9001:2015"})
      out.push_back(Pair(
          "hls-none:" + std::to_string(rows[i].line) + ":" + other, {f["standard"], f["ref"], ""},
          {other, "", ""}, "no-relationship", "compiled",
          "No high level structure counterpart (" + f["origin"] + ", not verified)", f["note"]));
  }
  return out;
}

Result<std::vector<Line>> Sms2011To2018() {
  TANDEM_ASSIGN_OR_RETURN(auto rows, Read("iso20000-1-2011-to-2018.csv"));
  std::vector<Line> out;
  for (size_t i = 1; i < rows.size(); ++i) {
    auto f = Fields(rows[0].fields, rows[i]);
    out.push_back(Pair("sms-2011-2018:" + std::to_string(rows[i].line),
                       {"iso20000-1:2011", f["iso20000_1_2011_ref"], ""},
                       {"iso20000-1:2018", f["iso20000_1_2018_ref"], ""}, f["relationship"],
                       "compiled", "Compiled by subject (" + f["subject"] + "), not verified",
                       f["note"]));
  }
  return out;
}

// Lettered items the lines cite that the catalogs lack, as requirement bodies.
std::vector<json> MissingItems(const std::vector<Line>& lines, const Index& ix) {
  std::set<std::pair<std::string, std::string>> seen;
  std::vector<json> out;
  for (const auto& l : lines)
    for (const Side* s : {&l.source, &l.target}) {
      const auto space = s->ref.find(' ');
      if (space == std::string::npos || ix.requirements.count({s->standard, s->ref}) ||
          !seen.insert({s->standard, s->ref}).second)
        continue;
      const std::string clause = s->ref.substr(0, space);
      if (!ix.requirements.count({s->standard, clause})) continue;  // reported with its line
      out.push_back({{"standard", ix.standards.at(s->standard)},
                     {"ref", s->ref},
                     {"parent_ref", clause},
                     {"kind", "item"},
                     {"builtin", true}});
    }
  return out;
}

}  // namespace

Status LoadBuiltinCorrespondences(records::Engine& engine) {
  const auto system = records::SystemActor("catalogs");
  std::vector<Line> lines;
  for (auto source : {TableA1, AnnexA, Hls, NoHlsCounterpart, Sms2011To2018}) {
    TANDEM_ASSIGN_OR_RETURN(auto part, source());
    lines.insert(lines.end(), part.begin(), part.end());
  }
  TANDEM_ASSIGN_OR_RETURN(Index ix, BuildIndex(engine, system));
  if (auto items = MissingItems(lines, ix); !items.empty()) {
    TANDEM_RETURN_IF_ERROR(
        engine.CreateBatch(system, *engine.registry().Find("requirement"), items).status());
    TANDEM_ASSIGN_OR_RETURN(ix, BuildIndex(engine, system));
  }
  TANDEM_ASSIGN_OR_RETURN(auto existing, ListAll(engine, system, "correspondence",
                                                 {{"filter[builtin]", "true"}}, true));
  std::set<std::string> loaded;
  for (const auto& c : existing) loaded.insert(c["content_key"].get<std::string>());
  // A corrected relationship reaches databases loaded before the correction
  // (Table A.1's heading rows were once loaded as published no-relationship).
  std::map<std::string, const Line*> by_key;
  for (const auto& l : lines) by_key[l.key] = &l;
  const auto& correspondence = *engine.registry().Find("correspondence");
  for (const auto& c : existing) {
    auto it = by_key.find(c["content_key"].get<std::string>());
    if (it == by_key.end() || c["relationship"] == it->second->relationship) continue;
    TANDEM_RETURN_IF_ERROR(engine
                               .Update(system, correspondence, c["id"], c["version"],
                                       {{"relationship", it->second->relationship}})
                               .status());
  }
  auto id = [&](const Side& s) -> std::optional<int64_t> {
    auto it = ix.requirements.find({s.standard, s.ref});
    return it == ix.requirements.end() ? std::nullopt : std::optional(it->second);
  };
  std::vector<json> missing;
  for (const auto& l : lines) {
    if (loaded.count(l.key)) continue;
    auto source = id(l.source);
    auto target = l.target.ref.empty() ? std::nullopt : id(l.target);
    if (!source || (!l.target.ref.empty() && !target)) continue;  // not in the catalogs
    json body = {{"source", *source},        {"relationship", l.relationship},
                 {"authority", l.authority}, {"origin", l.origin},
                 {"builtin", true},          {"content_key", l.key}};
    if (!l.source.qualifier.empty()) body["source_qualifier"] = l.source.qualifier;
    if (target) body["target"] = *target;
    if (!l.target.qualifier.empty()) body["target_qualifier"] = l.target.qualifier;
    if (!target) body["target_standard"] = ix.standards.at(l.target_standard);
    if (!l.note.empty()) body["note"] = l.note;
    missing.push_back(std::move(body));
  }
  if (missing.empty()) return Status::Ok();
  return engine.CreateBatch(system, correspondence, missing).status();
}

}  // namespace tandem::domains
