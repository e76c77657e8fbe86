#include "web/extensions.h"

#include <algorithm>
#include <stdexcept>

namespace tandem::web {

namespace {

// The sections the generic pages answer themselves (web.cpp).
constexpr const char* kBuiltinSections[] = {"",       "login",   "logout", "records", "r",
                                            "search", "account", "admin",  "static"};

}  // namespace

void Extensions::AddSection(PageSection section) {
  for (const char* b : kBuiltinSections)
    if (section.section == b)
      throw std::logic_error("page section '" + section.section + "' is a built-in page's");
  if (Section(section.section))
    throw std::logic_error("page section '" + section.section + "' is added twice");
  if (!section.handler)
    throw std::logic_error("page section '" + section.section + "' has no handler");
  sections_.push_back(std::move(section));
}

void Extensions::AddPanelPart(PanelPart part) {
  if (std::find_if(std::begin(kPanels), std::end(kPanels),
                   [&](const char* p) { return part.panel == p; }) == std::end(kPanels))
    throw std::logic_error("no dashboard panel '" + part.panel + "'");
  parts_.push_back(std::move(part));
}

void Extensions::AddHints(HintSource source) { hints_.push_back(std::move(source)); }

void Extensions::AddRecordPart(RecordPart part) {
  if (!part.html) throw std::logic_error("record part '" + part.title + "' has no content");
  record_parts_.push_back(std::move(part));
}

void Extensions::AddCalendar(CalendarSource source) { calendar_.push_back(std::move(source)); }

void Extensions::CheckTypes(const model::Registry& registry) const {
  for (const auto& p : record_parts_)
    if (!registry.Find(p.type))
      throw std::logic_error("record part '" + p.title + "' is for unknown type '" + p.type + "'");
}

std::vector<const RecordPart*> Extensions::PartsOfType(std::string_view type) const {
  std::vector<const RecordPart*> out;
  for (const auto& p : record_parts_)
    if (p.type == type) out.push_back(&p);
  std::stable_sort(out.begin(), out.end(),
                   [](const RecordPart* a, const RecordPart* b) { return a->rank < b->rank; });
  return out;
}

const PageSection* Extensions::Section(std::string_view first_segment) const {
  for (const auto& s : sections_)
    if (s.section == first_segment) return &s;
  return nullptr;
}

std::vector<const PanelPart*> Extensions::PartsOf(std::string_view panel) const {
  std::vector<const PanelPart*> out;
  for (const auto& p : parts_)
    if (p.panel == panel) out.push_back(&p);
  std::stable_sort(out.begin(), out.end(),
                   [](const PanelPart* a, const PanelPart* b) { return a->rank < b->rank; });
  return out;
}

std::optional<Hint> Extensions::HintFor(const model::RecordType& type,
                                        const model::FieldDecl* field) const {
  std::optional<Hint> out;
  for (const auto& source : hints_) {
    auto h = source(type, field);
    if (!h || h->text.empty()) continue;
    if (!out) {
      out = std::move(h);
      continue;
    }
    out->text += " " + h->text;
    if (out->href.empty()) out->href = h->href;
  }
  return out;
}

}  // namespace tandem::web
