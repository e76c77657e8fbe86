// Values crossing the store boundary: a small variant both SQL dialects map
// onto without loss (NULL, 64-bit integer, double, text).
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace tandem::store {

using Value = std::variant<std::monostate, int64_t, double, std::string>;

inline bool IsNull(const Value& v) { return v.index() == 0; }

// Rows of a query, column names once.
struct Rows {
  std::vector<std::string> columns;
  std::vector<std::vector<Value>> rows;

  bool empty() const { return rows.empty(); }
  size_t size() const { return rows.size(); }
};

}  // namespace tandem::store
