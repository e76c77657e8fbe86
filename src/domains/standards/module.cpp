// The standards module: catalogs, correspondences, traceability, gap
// assessments and the Statement of Applicability. It owns the standards
// index (the read model its views answer from), serves its routes and the
// /standards pages, puts each management system's requirement coverage on its
// dashboard panel and the ISO/IEC 27013 Annex B terms beside the fields they
// concern.
#include "domains/module.h"

#include "core/url.h"
#include "domains/domains.h"
#include "domains/standards/queries.h"
#include "domains/standards/soa.h"
#include "domains/standards/standards_api.h"
#include "web/extensions.h"
#include "web/panel.h"

namespace tandem::domains {

namespace {

// Requirement coverage of standard `key` from its traceability matrix.
void Coverage(web::Panel& panel, StandardsIndex& index, const std::string& key) {
  auto view = index.View(panel.actor());
  if (!view.ok()) return;
  auto m = BuildMatrix(*view, key);
  if (!m.ok()) return;
  const int applicable = m->covered + m->partial + m->gaps;
  const int pct = applicable == 0 ? 0 : (m->covered * 100 + applicable / 2) / applicable;
  // "ISO/IEC 27001:2022 Information security ..." -> "ISO/IEC 27001:2022"
  const std::string& t = m->standard->title;
  const size_t colon = t.find(':');
  const std::string name = t.substr(0, colon == std::string::npos ? t.size() : t.find(' ', colon));
  panel.Add({.label = name + " requirements covered",
             .value = std::to_string(pct) + "%",
             .detail = std::to_string(m->covered) + " covered, " + std::to_string(m->partial) +
                       " partly, " + std::to_string(m->gaps) + " gaps",
             .href = "/standards/" + PercentEncode(key) + "/matrix",
             .warn = m->gaps > 0});
}

// The ISO/IEC 27013 Annex B terms to read beside a field (or a type, by its
// name), as one line with a link to the glossary.
std::optional<web::Hint> TermHint(const model::RecordType& type, const model::FieldDecl* field) {
  const std::string& name = field ? field->name : type.name;
  auto terms = Terminology(name);
  if (!terms.ok() || terms->empty()) return std::nullopt;
  std::string out;
  for (const auto& t : *terms) {
    const std::string m = t.value("meaning", "");
    const char* how = m == "different"             ? "meanings differ"
                      : m == "similar"             ? "similar"
                      : m == "same"                ? "same in both"
                      : t.value("in_27000", false) ? "ISO/IEC 27000 only"
                                                   : "ISO/IEC 20000-1 only";
    out += (out.empty() ? "" : "; ") + t.value("term", "") + " (" + how + ")";
  }
  return web::Hint{"Terms (ISO/IEC 27013 Annex B, see the glossary): " + out + ".",
                   "/standards/glossary?field=" + PercentEncode(name)};
}

class Standards : public Module {
 public:
  std::string_view name() const override { return "standards"; }

  void AddHooks(records::HookRegistry& hooks) const override {
    RegisterStandardsHooks(hooks);
    RegisterSoaHooks(hooks);
  }

  // What the index reads of each record, and what the views filter on.
  void DeclareNames(NameCheck& names) const override {
    names
        .Fields("standard", {"key", "title", "edition", "publisher", "management_system", "origin",
                             "provenance", "verification", "verification_note"})
        .Fields("requirement", {"standard", "ref", "title", "parent_ref", "kind", "label",
                                "sort_key", "applicability", "justification", "withdrawn"})
        .Fields("correspondence",
                {"source", "target", "source_standard", "target_standard", "overrides",
                 "relationship", "source_qualifier", "target_qualifier", "authority", "origin",
                 "note", "rationale", "summary"})
        .Fields("element",
                {"title", "kind", "owner", "integration", "for_isms", "for_sms", "for_qms"})
        .Fields("trace", {"element", "requirement", "standard", "extent", "note"})
        .Fields("soa", {"standard", "revision"})
        .Relations({"mitigates", "implements"});
  }

  void Serve(ServeContext& ctx) override {
    index_ = std::make_unique<StandardsIndex>(ctx.engine);
    AddStandardsRoutes(ctx.api, *index_);
    AddSoaRoutes(ctx.api, ctx.engine);
    AddStandardsPages(ctx.web, *index_);
    StandardsIndex* ix = index_.get();
    for (auto [panel, key] :
         {std::pair{"isms", "iso27001:2022"}, std::pair{"sms", "iso20000-1:2018"},
          std::pair{"qms", "iso9001:2015"}})
      ctx.web.AddPanelPart(
          {panel, 70, [ix, key = std::string(key)](web::Panel& p) { Coverage(p, *ix, key); }});
    ctx.web.AddHints(TermHint);
  }

 private:
  std::unique_ptr<StandardsIndex> index_;
};

}  // namespace

std::unique_ptr<Module> StandardsModule() { return std::make_unique<Standards>(); }

}  // namespace tandem::domains
