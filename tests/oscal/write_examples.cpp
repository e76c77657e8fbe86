// Writes OSCAL documents with the real writers (catalog_io.h) into the
// directory given as the only argument, one file per document, for
// validate.sh to check against the NIST OSCAL 1.2.1 JSON schemas:
//   catalog-*.json   catalogs: a small one covering every kind and layout
//                    case, the built-in ISO catalogs, NIST SP 800-53 re-exported
//   mapping-*.json   mapping collections: a small one covering every kind of
//                    row, and the built-in Annex A map 27001:2013 -> 2022
//   ssp-*.json       system security plans: a small one from a hand-made
//                    statement covering every kind of row and element
//   *-api-*.json     what the API's export routes send: a demo database's
//                    catalog and correspondences (ISO/IEC 27013 Table A.1,
//                    the HLS alignment, the 20000-1 editions) through the
//                    standards index, and its Statements of Applicability
//                    for ISO/IEC 27001:2022 (an approved revision and a
//                    draft) as system security plans (ssp-api-*.json)
// Exits non-zero if any writer or reader fails.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/content.h"
#include "core/csv.h"
#include "core/hash.h"
#include "app/app.h"
#include "domains/standards/catalog_io.h"
#include "domains/standards/exports.h"
#include "domains/standards/oscal_ssp.h"
#include "domains/standards/soa.h"
#include "records/codec.h"

namespace fs = std::filesystem;
using namespace tandem;
using namespace tandem::domains;

namespace {

constexpr char kLastModified[] = "2026-01-31T12:00:00Z";

[[noreturn]] void Die(const std::string& what, const Error& e) {
  std::cerr << what << ": " << e.detail << "\n";
  for (const auto& f : e.fields) std::cerr << "  " << f.field << ": " << f.message << "\n";
  std::exit(1);
}

void Write(const fs::path& dir, const std::string& name, const nlohmann::json& doc) {
  std::ofstream out(dir / name);
  out << doc.dump(2) << "\n";
  if (!out) {
    std::cerr << "cannot write " << (dir / name) << "\n";
    std::exit(1);
  }
}

Catalog FromCsv(std::string_view text, const char* key, const char* title, const char* version,
                const char* publisher) {
  auto r = ParseCsvCatalog(text);
  if (!r.ok()) Die(key, r.error());
  Catalog c = std::move(r).value();
  c.key = key;
  c.title = title;
  c.version = version;
  c.publisher = publisher;
  return c;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: " << argv[0] << " OUTPUT_DIR\n";
    return 2;
  }
  InitCrypto();
  const fs::path dir = argv[1];
  fs::create_directories(dir);

  // Every kind, an untitled item, a withdrawn control, a domain that must
  // become a control holder, two refs with the same id.
  Catalog small = FromCsv(
      "ref,title,parent,kind\n"
      "4,Context of the organization,,clause\n"
      "4.1,Understanding the organization and its context,4,clause\n"
      "5.1,Leadership and commitment,,clause\n"
      "5.1 c),,5.1,item\n"
      "A.5,Organizational controls,,domain\n"
      "A.5.1,Management direction,A.5,objective\n"
      "A.5.1.1,Policies for information security,A.5.1,control\n"
      "A.5.1.2,Review of the policies,A.5.1,control\n"
      "A.6,Mixed domain,,domain\n"
      "A.6.1,An objective with controls,A.6,objective\n"
      "A.6.1.1,A control,A.6.1,control\n"
      "A.6.2,A control beside it,A.6,control\n"
      "a.6.2,Same id when lower-cased,A.6,other\n"
      "T,A theme,,theme\n"
      "T.1,Theme control,T,control\n"
      "G,A group of enhancements,,group\n"
      "G-1,Base,G,control\n"
      "G-1(1),Enhancement,G-1,enhancement\n",
      "example:2026", "Example management system standard", "2026", "Example Standards Body");
  for (auto& e : small.entries)
    if (e.ref == "A.5.1.2") e.withdrawn = true;
  Write(dir, "catalog-small.json", ToOscalCatalog(small, kLastModified));

  struct Builtin {
    const char* file;
    const char* key;
    const char* title;
    const char* version;
  };
  const Builtin kBuiltins[] = {
      {"iso27001-2013.csv", "iso27001:2013", "ISO/IEC 27001:2013", "2013"},
      {"iso27001-2022.csv", "iso27001:2022", "ISO/IEC 27001:2022", "2022"},
      {"iso20000-1-2011.csv", "iso20000-1:2011", "ISO/IEC 20000-1:2011", "2011"},
      {"iso20000-1-2018.csv", "iso20000-1:2018", "ISO/IEC 20000-1:2018", "2018"},
      {"iso9001-2015.csv", "iso9001:2015", "ISO 9001:2015", "2015"},
  };
  std::map<std::string, Catalog> builtin;
  for (const auto& b : kBuiltins) {
    builtin[b.key] = FromCsv(content::Get(std::string("content/standards/catalogs/") + b.file),
                             b.key, b.title, b.version, "ISO/IEC");
    std::string name = b.file;
    name = "catalog-" + name.substr(0, name.size() - 4) + ".json";
    Write(dir, name, ToOscalCatalog(builtin[b.key], kLastModified));
  }

  auto nist = ParseOscalCatalog(
      ReadFile(fs::path(TANDEM_TESTS_DIR) / "data" / "nist-sp800-53-rev5.0.1-catalog-min.json"));
  if (!nist.ok()) Die("NIST catalog", nist.error());
  Write(dir, "catalog-nist-sp800-53.json", ToOscalCatalog(*nist, kLastModified));

  Catalog target = FromCsv(
      "ref,title,parent,kind\n"
      "6,Planning,,clause\n6.1,Actions,6,clause\n6.3,Planning of changes,6,clause\n"
      "T,Theme,,theme\nT.1,Control,T,control\n",
      "target:1", "Target standard", "1", "");
  const std::vector<MappingEntry> maps = {
      {.source_ref = "4.1",
       .target_ref = "6.1",
       .relationship = "intersect",
       .source_qualifier = "Para. 1",
       .origin = "Table A.1, row 7",
       .note = "Same subject.",
       .authority = "published"},
      {.source_ref = "5.1 c)", .target_ref = "T.1", .relationship = "subset", .authority = "user"},
      {.source_ref = "A.6.2",
       .target_ref = "6.3",
       .relationship = "equal",
       .target_qualifier = "last para.",
       .authority = "compiled"},
      {.source_ref = "A.6.2", .target_ref = "6.3", .relationship = "equal"},
      {.source_ref = "G-1(1)", .target_ref = "6.3", .relationship = "superset"},
      {.source_ref = "A.6.1",
       .target_ref = "6",
       .relationship = "no-relationship",
       .note = "Related by number only.\n\nA second paragraph."},
      {.source_ref = "A.5.1.1",
       .relationship = "no-relationship",
       .origin = "TR 20000-7",
       .note = "New here."},
  };
  auto mapping = ToOscalMappingCollection(small, target, maps, kLastModified,
                                          {.status = "draft", .version = "1"});
  if (!mapping.ok()) Die("small mapping", mapping.error());
  Write(dir, "mapping-small.json", *mapping);

  // The built-in Annex A map: rows with both sides read as the loader reads
  // them (intersect, compiled); rows new in 2022 have no 2013 source.
  auto rows =
      ParseCsv(content::Get("content/standards/catalogs/iso27001-2013-to-2022-annex-a.csv"));
  if (!rows.ok()) Die("Annex A map", rows.error());
  std::vector<MappingEntry> annex;
  for (size_t i = 1; i < rows->size(); ++i) {
    const auto& f = (*rows)[i].fields;
    if (f.size() < 2 || f[0].empty()) continue;
    annex.push_back({.source_ref = f[0],
                     .target_ref = f[1],
                     .relationship = "intersect",
                     .origin = "After ISO/IEC 27002:2022 Annex B, compiled and not verified",
                     .authority = "compiled"});
  }
  auto annex_doc = ToOscalMappingCollection(builtin["iso27001:2013"], builtin["iso27001:2022"],
                                            annex, kLastModified);
  if (!annex_doc.ok()) Die("Annex A map", annex_doc.error());
  Write(dir, "mapping-iso27001-annex-a-2013-2022.json", *annex_doc);

  // A statement with every status, a row without entry, elements of kinds
  // OSCAL has no word for, an element in two rows, a key needing encoding.
  const auto small_soa = nlohmann::json::parse(R"J({
    "soa": {"id": 1, "number": "SOA-000001", "title": "Small statement", "revision": 2,
            "state": "approved", "standard": "example base:2026", "approved_by": "otto",
            "approved_at": "2026-01-30T10:00:00.000Z", "change_summary": "Two controls added"},
    "frozen": true,
    "rows": [
      {"ref": "A.5.1.1", "entry": 1, "applicability": "applicable", "reasons": ["risk_treatment",
       "legal", "contractual", "business"], "justification": "Required by law.",
       "implementation": "implemented", "note": "Line one.\n\nLine two.",
       "elements": [{"id": 1, "number": "EL-000001", "title": "Security policy", "kind": "policy",
                     "state": "operating", "extent": "fully"},
                    {"id": 2, "number": "EL-000002", "title": "Access records",
                     "kind": "record_type", "state": "retired", "extent": "partly"}],
       "risks": [{"id": 1, "number": "RSK-000001", "title": "Laptop theft", "state": "open"}]},
      {"ref": "A.6.2", "entry": 2, "applicability": "applicable", "reasons": [],
       "implementation": "partial", "elements": [{"id": 3, "number": "EL-000003",
       "title": "Backup procedure", "kind": "procedure", "state": "draft", "extent": "partly"},
       {"id": 4, "number": "EL-000004", "title": "Security officer", "kind": "role",
        "state": "approved", "extent": null}], "risks": []},
      {"ref": "5.1 c)", "entry": 3, "applicability": "applicable", "reasons": ["business"],
       "implementation": "planned", "elements": [{"id": 1, "number": "EL-000001",
       "title": "Security policy", "kind": "policy", "state": "operating", "extent": "partly"}],
       "risks": []},
      {"ref": "G-1(1)", "entry": 4, "applicability": "applicable", "reasons": [],
       "implementation": "not_implemented", "elements": [], "risks": []},
      {"ref": "T.1", "entry": 5, "applicability": "applicable", "reasons": [],
       "implementation": null, "elements": [], "risks": []},
      {"ref": "A.6.1.1", "entry": 6, "applicability": "not_applicable", "reasons": [],
       "justification": "Nothing of the kind here.", "implementation": null,
       "elements": [], "risks": []},
      {"ref": "4.1", "entry": null, "applicability": null, "reasons": [], "elements": [],
       "risks": []}
    ]})J");
  auto ssp_small = ToOscalSsp(small_soa, kLastModified);
  if (!ssp_small.ok()) Die("small plan", ssp_small.error());
  Write(dir, "ssp-small.json", *ssp_small);

  // The export routes' own path, on the demo organization.
  const fs::path db = dir / "demo.db";
  fs::remove(db);
  auto app = app::OpenApp("sqlite:" + db.string());
  if (!app.ok()) Die("demo database", app.error());
  if (auto n = app::LoadDemo(**app); !n.ok()) Die("demo", n.error());
  StandardsIndex index(*(*app)->engine);
  auto view = index.View(records::SystemActor());
  if (!view.ok()) Die("standards index", view.error());
  auto s2022 = FindStandard(*view, "iso27001:2022");
  if (!s2022.ok()) Die("iso27001:2022", s2022.error());
  Write(dir, "catalog-api-iso27001-2022.json",
        ToOscalCatalog(CatalogOf(*view, **s2022), kLastModified));
  const std::pair<const char*, const char*> kPairs[] = {
      {"iso27001:2013", "iso20000-1:2011"},
      {"iso27001:2022", "iso9001:2015"},
      {"iso20000-1:2011", "iso20000-1:2018"},
  };
  for (const auto& [from, to] : kPairs) {
    auto doc = MappingCollection(*view, from, to, kLastModified);
    if (!doc.ok()) Die(std::string(from) + " -> " + to, doc.error());
    std::string name = std::string("mapping-api-") + from + "-" + to + ".json";
    std::replace(name.begin(), name.end(), ':', '-');
    Write(dir, name, *doc);
  }
  // The statement route's path: the statement as a reader sees it, then the
  // writer. SOA-000001 is approved (frozen), SOA-000002 a draft.
  records::Engine& engine = *(*app)->engine;
  const auto& soa_type = *engine.registry().Find("soa");
  for (const char* number : {"SOA-000001", "SOA-000002"}) {
    auto statement =
        SoaStatement(engine, records::SystemActor(), records::ParseRecordId(soa_type, number));
    if (!statement.ok()) Die(number, statement.error());
    auto ssp = ToOscalSsp(*statement, kLastModified);
    if (!ssp.ok()) Die(std::string(number) + " as OSCAL", ssp.error());
    const nlohmann::json& soa = (*statement)["soa"];
    std::string name = "ssp-api-" + soa["standard"].get<std::string>() + "-rev" +
                       std::to_string(soa["revision"].get<int64_t>()) + ".json";
    std::replace(name.begin(), name.end(), ':', '-');
    Write(dir, name, *ssp);
  }
  return 0;
}
