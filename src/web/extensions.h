// What a domain module adds to the web UI (domains/module.h): page sections
// of its own, parts of the dashboard's panels and hints beside fields. The
// generic pages name no domain: they ask these.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "model/record_type.h"

namespace tandem::web {

struct Page;
class Panel;

// The pages under /{section}/...
struct PageSection {
  std::string section;    // the first path segment it answers, e.g. "standards"
  std::string nav_label;  // its entry in the navigation, "" for none
  // A form sent to it after the session ended is carried through sign-in and
  // offered again; never for forms that hold passwords or codes.
  bool carries_forms = false;
  // Answers the request, or returns the error for the error page.
  std::function<Status(Page&)> handler;
};

// The dashboard has one panel per management system.
inline constexpr const char* kPanels[] = {"isms", "sms", "qms"};

// A part of a dashboard panel: figures and charts, drawn in rank order.
struct PanelPart {
  std::string panel;  // one of kPanels
  int rank = 0;
  std::function<void(Panel&)> fill;
};

// A line shown beside a field in forms, or (for the type itself) on its
// record pages, with an optional link to read more.
struct Hint {
  std::string text;
  std::string href;
};
// The hint for `field` of `type`, or for the type when `field` is null.
using HintSource = std::function<std::optional<Hint>(const model::RecordType& type,
                                                     const model::FieldDecl* field)>;

class Extensions {
 public:
  // Throws std::logic_error for a section taken twice or by a built-in page,
  // or a part of an unknown panel.
  void AddSection(PageSection section);
  void AddPanelPart(PanelPart part);
  void AddHints(HintSource source);

  const PageSection* Section(std::string_view first_segment) const;
  const std::vector<PageSection>& sections() const { return sections_; }
  // The parts of `panel`, in rank order.
  std::vector<const PanelPart*> PartsOf(std::string_view panel) const;
  // Every source's hint for the field (or type), joined.
  std::optional<Hint> HintFor(const model::RecordType& type, const model::FieldDecl* field) const;

 private:
  std::vector<PageSection> sections_;
  std::vector<PanelPart> parts_;
  std::vector<HintSource> hints_;
};

}  // namespace tandem::web
