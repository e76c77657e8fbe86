// What a domain module adds to the web UI (domains/module.h): page sections
// of its own, parts of the dashboard's panels and hints beside fields. The
// generic pages name no domain: they ask these.
#pragma once

#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "model/record_type.h"
#include "model/registry.h"

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

// What a module shows on the record page of a type, below its fields: a
// titled card of HTML the part writes itself (escaping whatever it shows).
// The part may read more through the engine as the page's reader; nothing
// the reader may not see is shown.
struct RecordPart {
  std::string type;
  std::string title;
  int rank = 0;
  std::function<Result<std::string>(Page& page, const nlohmann::json& record)> html;
};

// An entry of the dashboard's governance calendar: something due.
struct CalendarEntry {
  std::string date;  // YYYY-MM-DD
  std::string label;
  std::string href;
};
// Adds the entries due up to `until` (overdue ones included) that the
// page's reader may see.
using CalendarSource =
    std::function<void(Panel& panel, const std::string& until, std::vector<CalendarEntry>& out)>;

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
  // Throws std::logic_error for a part of an unknown type (checked by
  // CheckTypes once the registry is known).
  void AddRecordPart(RecordPart part);
  void AddCalendar(CalendarSource source);
  // std::logic_error naming a record part whose type `registry` lacks.
  void CheckTypes(const model::Registry& registry) const;

  const PageSection* Section(std::string_view first_segment) const;
  const std::vector<PageSection>& sections() const { return sections_; }
  // The parts of `panel`, in rank order.
  std::vector<const PanelPart*> PartsOf(std::string_view panel) const;
  // The parts of `type`'s record page, in rank order.
  std::vector<const RecordPart*> PartsOfType(std::string_view type) const;
  const std::vector<CalendarSource>& calendar() const { return calendar_; }
  // Every source's hint for the field (or type), joined.
  std::optional<Hint> HintFor(const model::RecordType& type, const model::FieldDecl* field) const;

 private:
  std::vector<PageSection> sections_;
  std::vector<PanelPart> parts_;
  std::vector<HintSource> hints_;
  std::vector<RecordPart> record_parts_;
  std::vector<CalendarSource> calendar_;
};

}  // namespace tandem::web
