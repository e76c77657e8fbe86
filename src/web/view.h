// Rendering pages from the templates in content/web/templates (embedded in the
// binary at build time). Templates are Mustache: every {{value}} is HTML-escaped,
// so data can never become markup; only trusted HTML this module rendered
// itself is inserted raw ({{{content}}} in the layout).
#pragma once

#include <kainjow/mustache.hpp>
#include <string>
#include <string_view>

namespace tandem::web {

using Data = kainjow::mustache::data;
using DataList = kainjow::mustache::list;

// Renders template `name` (without extension) with `data`. A template that
// does not exist or does not parse is a bug: it throws.
std::string Render(std::string_view name, const Data& data);

// A Data object from key/value pairs: Obj({{"a", "x"}, {"b", true}}).
// Empty strings become false, as Text() does.
Data Obj(std::initializer_list<std::pair<const std::string, Data>> items);

// A string as template data: an empty one is false, so that {{#message}}
// sections (an error, a hint) render only when there is something to say.
// (Mustache itself treats every string, even "", as true.)
Data Text(const std::string& s);
// `s` without leading and trailing white space (form input).
std::string Trimmed(const std::string& s);

}  // namespace tandem::web
