// A dashboard panel being filled by its parts (web/extensions.h).
//
// Every figure is a count through the engine's list query, so it is what the
// reader could see by following its link: need-to-know and permissions apply
// to the figures exactly as to the lists. A figure whose record type the
// reader may not read is left out rather than shown as zero. A figure whose
// query the engine refuses is a bug in its part: it shows as unavailable,
// with the reason, and is logged, so it never silently disappears.
#pragma once

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "records/engine.h"

namespace tandem::web {

struct Page;

class Panel {
 public:
  using Params = std::multimap<std::string, std::string>;
  struct Figure {
    std::string label, value, detail, href;
    bool warn = false;
  };

  explicit Panel(Page& page) : page_(page) {}

  records::Engine& engine() const;
  const records::Actor& actor() const;
  // Today's date, "YYYY-MM-DD" (UTC), from the engine's clock.
  std::string today() const;

  // The number of `type_name` records matching `params` that the reader can
  // see; nullopt when the reader may not read the type (or the query is
  // refused, which adds an unavailable figure).
  std::optional<int64_t> Count(const char* type_name, const Params& params);
  // A figure counting `params`, linked to the list behind it; warns when not
  // zero unless told otherwise.
  void CountFigure(const std::string& label, const char* type_name, const Params& params,
                   bool warn_when_nonzero = true);
  // Calls `fn` on every matching record the reader can see, a page at a time,
  // up to 10,000 (a dashboard figure, not a report); false when the reader
  // may not read the type or the query is refused.
  bool ForEach(const char* type_name, Params params,
               const std::function<void(const nlohmann::json&)>& fn);

  // Calls `fn` on the first `n` matching records the reader can see (one
  // query); false when the reader may not read the type or it is refused.
  bool First(const char* type_name, Params params, int n,
             const std::function<void(const nlohmann::json&)>& fn);

  void Add(Figure figure) { figures_.push_back(std::move(figure)); }
  void AddChart(std::string svg) { charts_.push_back(std::move(svg)); }
  void SetNote(std::string note) { note_ = std::move(note); }

  // The link to a list of `type_name` filtered by `params`.
  std::string ListHref(const char* type_name, const Params& params) const;
  // "?a=1&b=2", percent-encoded.
  static std::string Query(const Params& params);

  const std::vector<Figure>& figures() const { return figures_; }
  const std::vector<std::string>& charts() const { return charts_; }
  const std::string& note() const { return note_; }

 private:
  // The parsed query, or nullopt (with the unavailable figure) when refused.
  std::optional<records::ListQuery> Parse(const model::RecordType& type, const Params& params);

  Page& page_;
  std::vector<Figure> figures_;
  std::vector<std::string> charts_;
  std::string note_;
};

}  // namespace tandem::web
