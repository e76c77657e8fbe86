// Built-in content files (content/**), compiled into the binary by
// cmake/Embed.cmake. Returns an empty view for an unknown path.
#pragma once

#include <string_view>

namespace tandem::content {

std::string_view Get(std::string_view path);

}  // namespace tandem::content
