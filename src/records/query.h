// List queries: filters, sort and keyset paging, parsed from the API's query
// parameters against a type's declaration and compiled to SQL.
#pragma once

#include <map>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "model/record_type.h"
#include "store/database.h"

namespace tandem::records {

enum class FilterOp { kEq, kNe, kLt, kLe, kGt, kGe, kIn, kContains, kNull };

struct Filter {
  std::string column;      // SQL column of a declared or system field
  std::string custom;      // or the name of a custom field (expression depends on dialect)
  model::FieldDecl field;  // how to interpret values (system fields get a synthetic decl)
  FilterOp op = FilterOp::kEq;
  std::vector<store::Value> values;  // one, or several for kIn; kNull: 1 means IS NULL
};

struct ListQuery {
  std::vector<Filter> filters;
  std::string sort_field = "id";
  std::string sort_column = "id";
  model::FieldDecl sort_decl;
  bool sort_desc = false;
  bool sort_nullable = false;
  int limit = 50;
  std::optional<store::Value> after_value;  // keyset cursor: last row's sort value
  int64_t after_id = 0;                     // and its id
  bool include_archived = false;
  // q=: words every record shown must contain, each in any declared text
  // field (case-insensitive), or the record's number.
  std::vector<std::string> search_patterns;  // LIKE patterns, escaped
  std::vector<std::string> search_fields;    // the declared text fields searched
  int64_t search_id = 0;                     // q was a record number

  // Count the matching records instead of listing them (ListResult::total).
  bool count_only = false;
  // Set by the engine for actors that are not the system: records restricted
  // to any other group are left out.
  std::optional<std::vector<std::string>> visible_groups;
  // Set by the engine with visible_groups: reference fields whose targets
  // include records hidden from the actor (field -> the target's table).
  // Filters, sort and search on such a reference, and on fields derived from
  // it, act as if the value were null where it points at a hidden record.
  struct Masks {
    std::map<std::string, std::string> hidden_refs;
  } masks;
};

struct ListResult {
  std::vector<nlohmann::json> items;
  std::string next_cursor;  // "" on the last page
  int64_t total = 0;        // count_only: how many records match
};

// Parses `params` (name -> values, as in the query string): filter[f]=v,
// filter[f][op]=v, sort=[-]f, limit=n, after=cursor. Unknown parameters and bad
// values are kBadRequest with one error per parameter.
Result<ListQuery> ParseListQuery(const model::RecordType& type,
                                 const std::vector<model::FieldDecl>& custom,
                                 const std::multimap<std::string, std::string>& params);

// Runs `query` on `conn`; returns full records.
Result<ListResult> RunList(store::Connection& conn, const model::RecordType& type,
                           const ListQuery& query);

// How many records match each of `queries` (filters, search, archived; sort
// and paging play no part), in one pass over the type's table: where a report
// takes many figures of one type, its rows are read once, not once a figure,
// and no misjudged index range reads the table row by row. The queries are
// one reader's: their visible_groups must be the same.
Result<std::vector<int64_t>> RunCounts(store::Connection& conn, const model::RecordType& type,
                                       const std::vector<ListQuery>& queries);

}  // namespace tandem::records
