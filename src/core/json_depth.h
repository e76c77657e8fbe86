// How deeply a JSON text nests arrays and objects, measured before parsing
// so that hostile input is refused cheaply instead of exhausting the stack
// of a recursive parser.
#pragma once

#include <string_view>

namespace tandem {

// The deepest nesting of arrays and objects in `text`; brackets inside
// strings do not count. Malformed text gives a meaningless but finite answer
// (the parser reports the error).
int JsonNestingDepth(std::string_view text);

}  // namespace tandem
