#include "records/query.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/hash.h"
#include "records/codec.h"

namespace tandem::records {

using model::FieldDecl;
using model::FieldType;
using nlohmann::json;
using store::Value;

namespace {

constexpr int kMaxLimit = 500;
constexpr size_t kMaxInValues = 100;
constexpr size_t kMaxSearchLength = 200;
constexpr size_t kMaxSearchWords = 8;

// "%text%" with LIKE's wildcards in `text` escaped (ESCAPE '\\').
std::string LikePattern(const std::string& text) {
  std::string pattern = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  return pattern + "%";
}

struct Target {
  std::string column;
  FieldDecl decl;
  bool nullable = true;
  std::string custom;  // set for custom fields
};

FieldDecl Synthetic(const std::string& name, FieldType type) {
  FieldDecl d;
  d.name = name;
  d.type = type;
  return d;
}

// Resolves a field name of the query string to a column.
std::optional<Target> Resolve(const model::RecordType& type, const std::vector<FieldDecl>& custom,
                              const std::string& name) {
  if (name == "id" || name == "number")
    return Target{"id", Synthetic(name, FieldType::kInteger), false};
  if (name == "created_at" || name == "updated_at")
    return Target{name, Synthetic(name, FieldType::kDateTime), false};
  if (name == "created_by" || name == "updated_by")
    return Target{name, Synthetic(name, FieldType::kUser), false};
  if (name == "archived") return Target{name, Synthetic(name, FieldType::kBoolean), false};
  if (name == "state" && type.states) {
    FieldDecl d = Synthetic("state", FieldType::kEnum);
    d.enum_values = type.states->states;
    return Target{"state", d, false};
  }
  if (name.starts_with("custom.")) {
    std::string cname = name.substr(7);
    for (const auto& c : custom)
      if (c.name == cname) return Target{"", c, true, cname};
    return std::nullopt;
  }
  if (const FieldDecl* f = type.Field(name)) return Target{"\"" + name + "\"", *f, !f->required};
  return std::nullopt;
}

// Parses one filter value; returns an error message or "".
std::string ParseValue(const model::RecordType& type, const FieldDecl& f, const std::string& text,
                       Value& out) {
  switch (f.type) {
    case FieldType::kInteger:
    case FieldType::kReference: {
      int64_t n = f.name == "number" ? ParseRecordId(type, text) : 0;
      if (f.name != "number") {
        auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
        if (ec != std::errc() || p != text.data() + text.size()) return "must be an integer";
      } else if (n == 0) {
        return "must be a record number such as " + FormatNumber(type, 1);
      }
      out = n;
      return "";
    }
    case FieldType::kDecimal: {
      char* end = nullptr;
      double d = std::strtod(text.c_str(), &end);
      if (text.empty() || *end != '\0' || !std::isfinite(d)) return "must be a number";
      out = d;
      return "";
    }
    case FieldType::kBoolean:
      if (text != "true" && text != "false") return "must be true or false";
      out = int64_t{text == "true" ? 1 : 0};
      return "";
    case FieldType::kDate:
      if (!IsValidDate(text)) return "must be a date YYYY-MM-DD";
      out = text;
      return "";
    case FieldType::kDateTime: {
      auto t = ParseTimestamp(text);
      if (!t) return "must be a date-time with a time zone, such as 2026-01-31T09:00:00Z";
      out = FormatTimestamp(*t);
      return "";
    }
    case FieldType::kEnum:
      for (const auto& e : f.enum_values)
        if (e == text) {
          out = text;
          return "";
        }
      {
        std::string list;
        for (const auto& e : f.enum_values) list += (list.empty() ? "" : ", ") + e;
        return "must be one of: " + list;
      }
    case FieldType::kJson:
      return "JSON fields can only be filtered with [null]";
    case FieldType::kFile:
      return "file fields can only be filtered with [null]";
    default:
      out = text;
      return "";
  }
}

std::optional<FilterOp> ParseOp(const std::string& op) {
  static const std::pair<const char*, FilterOp> kOps[] = {
      {"eq", FilterOp::kEq},    {"ne", FilterOp::kNe},
      {"lt", FilterOp::kLt},    {"le", FilterOp::kLe},
      {"gt", FilterOp::kGt},    {"ge", FilterOp::kGe},
      {"in", FilterOp::kIn},    {"contains", FilterOp::kContains},
      {"null", FilterOp::kNull}};
  for (const auto& [n, o] : kOps)
    if (op == n) return o;
  return std::nullopt;
}

bool IsTextual(FieldType t) {
  return t == FieldType::kText || t == FieldType::kLongText || t == FieldType::kUser;
}

std::string SortSpec(const ListQuery& q) { return (q.sort_desc ? "-" : "") + q.sort_field; }

json ValueToJson(const Value& v) {
  if (auto* i = std::get_if<int64_t>(&v)) return *i;
  if (auto* d = std::get_if<double>(&v)) return *d;
  if (auto* s = std::get_if<std::string>(&v)) return *s;
  return nullptr;
}

std::optional<Value> JsonToValue(const json& j) {
  if (j.is_null()) return Value{};
  if (j.is_number_integer()) return Value{j.get<int64_t>()};
  if (j.is_number()) return Value{j.get<double>()};
  if (j.is_string()) return Value{j.get<std::string>()};
  return std::nullopt;
}

// The SQL operator of a comparing filter, with its spaces.
const char* Comparison(FilterOp op) {
  switch (op) {
    case FilterOp::kLt:
      return " < ";
    case FilterOp::kLe:
      return " <= ";
    case FilterOp::kGt:
      return " > ";
    case FilterOp::kGe:
      return " >= ";
    default:
      return " = ";
  }
}

// The SQL for a filter's field. Custom field names were validated when the
// field was defined ([a-z][a-z0-9_]*), so they are safe inside the literal.
std::string ColumnSql(const Filter& f, store::Dialect d) {
  if (f.custom.empty()) return f.column;
  if (d == store::Dialect::kSqlite) return "json_extract(custom, '$." + f.custom + "')";
  const std::string text = "(custom::jsonb ->> '" + f.custom + "')";
  switch (f.field.type) {
    case FieldType::kInteger:
      return "(" + text + ")::bigint";
    case FieldType::kDecimal:
      return "(" + text + ")::double precision";
    case FieldType::kBoolean:
      return "((" + text + ")::boolean)::int";
    default:
      return text;
  }
}

}  // namespace

Result<ListQuery> ParseListQuery(const model::RecordType& type,
                                 const std::vector<FieldDecl>& custom,
                                 const std::multimap<std::string, std::string>& params) {
  ListQuery q;
  std::vector<FieldError> errors;
  std::string cursor;
  for (const auto& [key, value] : params) {
    if (key == "limit") {
      int n = 0;
      auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc() || p != value.data() + value.size() || n < 1 || n > kMaxLimit)
        errors.push_back({"limit", "must be an integer from 1 to " + std::to_string(kMaxLimit)});
      else
        q.limit = n;
    } else if (key == "sort") {
      std::string name = value;
      q.sort_desc = !name.empty() && name[0] == '-';
      if (q.sort_desc) name.erase(0, 1);
      auto t = Resolve(type, custom, name);
      if (!t || !t->custom.empty() || t->decl.type == FieldType::kLongText ||
          t->decl.type == FieldType::kJson || t->decl.type == FieldType::kFile) {
        errors.push_back({"sort", "cannot sort by '" + name +
                                      "'; sort by one field, optionally prefixed with -"});
        continue;
      }
      q.sort_field = name == "number" ? "id" : name;
      q.sort_column = t->column;
      q.sort_decl = t->decl;
      q.sort_nullable = t->nullable;
    } else if (key == "after") {
      cursor = value;
    } else if (key == "q") {
      if (value.size() > kMaxSearchLength) {
        errors.push_back(
            {"q", "must be at most " + std::to_string(kMaxSearchLength) + " characters"});
        continue;
      }
      q.search_id = ParseRecordId(type, value);
      for (size_t pos = 0; pos < value.size();) {
        const size_t end = std::min(value.find(' ', pos), value.size());
        if (end > pos) q.search_patterns.push_back(LikePattern(value.substr(pos, end - pos)));
        pos = end + 1;
      }
      if (q.search_patterns.size() > kMaxSearchWords) {
        errors.push_back({"q", "at most " + std::to_string(kMaxSearchWords) + " words"});
        continue;
      }
      q.search_fields.clear();
      for (const auto& f : type.fields)
        if (!f.internal && (f.type == FieldType::kText || f.type == FieldType::kLongText))
          q.search_fields.push_back(f.name);
    } else if (key.starts_with("filter[") && key.back() == ']') {
      // filter[field] or filter[field][op]
      std::string inner = key.substr(7, key.size() - 8);
      std::string name = inner, op_name = "eq";
      if (auto pos = inner.find("]["); pos != std::string::npos) {
        name = inner.substr(0, pos);
        op_name = inner.substr(pos + 2);
      }
      auto t = Resolve(type, custom, name);
      auto op = ParseOp(op_name);
      if (!t) {
        errors.push_back({key, "'" + name + "' is not a field of " + type.name});
        continue;
      }
      if (!op) {
        errors.push_back({key, "unknown operator '" + op_name +
                                   "'; use eq, ne, lt, le, gt, ge, in, contains or null"});
        continue;
      }
      Filter f{t->column, t->custom, t->decl, *op, {}};
      if (*op == FilterOp::kNull) {
        if (value != "true" && value != "false") {
          errors.push_back({key, "must be true or false"});
          continue;
        }
        f.values.emplace_back(int64_t{value == "true" ? 1 : 0});
      } else if (*op == FilterOp::kContains) {
        if (!IsTextual(t->decl.type)) {
          errors.push_back({key, "contains applies to text fields only"});
          continue;
        }
        f.values.emplace_back(LikePattern(value));
      } else {
        if ((*op != FilterOp::kEq && *op != FilterOp::kNe && *op != FilterOp::kIn) &&
            t->decl.type == FieldType::kBoolean) {
          errors.push_back({key, "booleans compare with eq, ne or null only"});
          continue;
        }
        std::vector<std::string> parts;
        if (*op == FilterOp::kIn) {
          size_t start = 0;
          for (;;) {
            auto comma = value.find(',', start);
            parts.push_back(value.substr(start, comma - start));
            if (comma == std::string::npos) break;
            start = comma + 1;
          }
          if (parts.size() > kMaxInValues) {
            errors.push_back({key, "at most 100 values"});
            continue;
          }
        } else {
          parts.push_back(value);
        }
        bool bad = false;
        for (const auto& part : parts) {
          Value v;
          if (std::string msg = ParseValue(type, t->decl, part, v); !msg.empty()) {
            errors.push_back({key, msg});
            bad = true;
            break;
          }
          f.values.push_back(std::move(v));
        }
        if (bad) continue;
      }
      if (name == "archived") q.include_archived = true;
      q.filters.push_back(std::move(f));
    } else {
      errors.push_back(
          {key,
           "unknown query parameter; use filter[field], filter[field][op], sort, limit, after or "
           "q"});
    }
  }
  if (!cursor.empty()) {
    auto raw = Base64UrlDecode(cursor);
    json c = raw ? json::parse(*raw, nullptr, false) : json();
    std::optional<Value> v;
    if (c.is_object() && c.contains("v")) v = JsonToValue(c["v"]);
    if (!c.is_object() || !c.contains("s") || !c.contains("id") || !c["id"].is_number_integer() ||
        !v)
      errors.push_back({"after", "is not a cursor this server issued"});
    else if (c["s"] != SortSpec(q))
      errors.push_back({"after", "was issued for sort=" + c["s"].get<std::string>() +
                                     "; keep the same sort while paging"});
    else {
      q.after_value = *v;
      q.after_id = c["id"].get<int64_t>();
    }
  }
  if (!errors.empty())
    return MakeError(ErrorCode::kBadRequest, "the list query is invalid", std::move(errors));
  return q;
}

namespace {

// The SQL conditions of a list query as its reader sees the records, with
// their parameters appended to `params` (numbered $1, $2, ... in order).
class Conditions {
 public:
  Conditions(const model::RecordType& type, const ListQuery& q, store::Dialect dialect,
             std::vector<Value>& params)
      : type_(type),
        q_(q),
        dialect_(dialect),
        pg_(dialect == store::Dialect::kPostgres),
        params_(params) {}

  std::string Param(Value v) {
    params_.push_back(std::move(v));
    return "$" + std::to_string(params_.size());
  }

  // Leaves out the records restricted to a group the reader is not in; ""
  // for the system.
  std::string Visible() {
    if (!q_.visible_groups) return "";
    const std::string& groups = Groups();
    return groups.empty() ? "restricted_to IS NULL"
                          : "(restricted_to IS NULL OR restricted_to IN (" + groups + "))";
  }

  // The query's own conditions: not archived (unless it asks for archived
  // records), its filters and its search, each as a separate condition.
  std::vector<std::string> Matching() {
    std::vector<std::string> out;
    if (!q_.include_archived) out.push_back("archived = 0");
    for (const auto& f : q_.filters) {
      const std::string c = ColumnSql(f, dialect_);
      std::string cond;
      bool null_matches = false;
      switch (f.op) {
        case FilterOp::kEq:
        case FilterOp::kLt:
        case FilterOp::kLe:
        case FilterOp::kGt:
        case FilterOp::kGe:
          cond = c + Comparison(f.op) + Param(f.values[0]);
          break;
        case FilterOp::kNe:
          cond = "(" + c + " IS NULL OR " + c + " <> " + Param(f.values[0]) + ")";
          null_matches = true;
          break;
        case FilterOp::kContains:  // case-insensitive in both dialects
          cond = c + (pg_ ? " ILIKE " : " LIKE ") + Param(f.values[0]) + " ESCAPE '\\'";
          break;
        case FilterOp::kNull:
          null_matches = std::get<int64_t>(f.values[0]) != 0;
          cond = c + (null_matches ? " IS NULL" : " IS NOT NULL");
          break;
        case FilterOp::kIn: {
          std::string list;
          for (const auto& v : f.values) list += (list.empty() ? "" : ", ") + Param(v);
          cond = c + " IN (" + list + ")";
          break;
        }
      }
      out.push_back(f.custom.empty() ? Masked(f.field.name, cond, null_matches) : cond);
    }
    if (!q_.search_patterns.empty()) {
      // Every word somewhere in the text; or the whole query is the number.
      const char* like = pg_ ? " ILIKE " : " LIKE ";
      std::string all;
      for (const auto& pattern : q_.search_patterns) {
        const std::string p = Param(pattern);
        std::string any;
        for (const auto& name : q_.search_fields)
          any += (any.empty() ? "" : " OR ") +
                 Masked(name, QuoteIdentifier(name) + like + p + " ESCAPE '\\'", false);
        all += (all.empty() ? "" : " AND ") + ("(" + (any.empty() ? "1 = 0" : any) + ")");
      }
      out.push_back("((" + all + ")" + (q_.search_id ? " OR id = " + Param(q_.search_id) : "") +
                    ")");
    }
    return out;
  }

  // True where the field's value is masked for the reader (never NULL, so
  // NOT(mask) is safe); "" when nothing masks it.
  std::string Mask(const std::string& field_name) {
    const FieldDecl* f = type_.Field(field_name);
    if (!f || q_.masks.hidden_refs.empty()) return "";
    std::string any;
    for (const auto* source : type_.MaskSources(*f)) {
      auto it = q_.masks.hidden_refs.find(source->name);
      if (it == q_.masks.hidden_refs.end()) continue;
      const std::string col = QuoteIdentifier(source->name);
      any += (any.empty() ? "" : " OR ") +
             ("(" + col + " IS NOT NULL AND " + col + " IN (SELECT id FROM " + it->second +
              " WHERE restricted_to IS NOT NULL" +
              (Groups().empty() ? "" : " AND restricted_to NOT IN (" + Groups() + ")") + "))");
    }
    return any.empty() ? any : "(" + any + ")";
  }

 private:
  // A condition on a field as the reader sees it: a masked value is null, so
  // it meets the condition only if null would.
  std::string Masked(const std::string& field_name, const std::string& cond, bool null_matches) {
    const std::string m = Mask(field_name);
    if (m.empty()) return cond;
    return null_matches ? "(" + cond + " OR " + m + ")" : "(" + cond + " AND NOT " + m + ")";
  }

  const model::RecordType& type_;
  const ListQuery& q_;
  const store::Dialect dialect_;
  const bool pg_;
  std::vector<Value>& params_;
  // The reader's groups as parameters, added when first used: PostgreSQL
  // refuses a parameter the statement does not use.
  const std::string& Groups() {
    if (!groups_added_ && q_.visible_groups)
      for (const auto& g : *q_.visible_groups) groups_ += (groups_.empty() ? "" : ", ") + Param(g);
    groups_added_ = true;
    return groups_;
  }

  std::string groups_;
  bool groups_added_ = false;
};

std::string JoinAnd(const std::vector<std::string>& conditions) {
  std::string out;
  for (const auto& c : conditions) out += (out.empty() ? "" : " AND ") + c;
  return out;
}

}  // namespace

Result<ListResult> RunList(store::Connection& conn, const model::RecordType& type,
                           const ListQuery& q) {
  std::vector<Value> params;
  Conditions conditions(type, q, conn.dialect(), params);
  std::string where;
  auto add = [&](const std::string& cond) {
    where += (where.empty() ? " WHERE " : " AND ") + cond;
  };
  auto param = [&](Value v) { return conditions.Param(std::move(v)); };
  for (const auto& c : conditions.Matching()) add(c);
  if (const std::string visible = conditions.Visible(); !visible.empty()) add(visible);
  if (q.count_only) {
    TANDEM_ASSIGN_OR_RETURN(store::Rows rows,
                            conn.Query("SELECT COUNT(*) FROM " + type.table() + where, params));
    ListResult out;
    out.total = std::get<int64_t>(rows.rows[0][0]);
    return out;
  }
  const std::string& c = q.sort_column;
  const bool by_id = c == "id";
  const char* cmp = q.sort_desc ? " < " : " > ";
  const char* dir = q.sort_desc ? " DESC" : "";
  const size_t want = static_cast<size_t>(q.limit) + 1;  // one more says there is a next page
  const std::string select =
      "SELECT " + SqlFor(type).select_list + (by_id ? "" : ", " + c) + " FROM " + type.table();
  // Runs one range of the list with the conditions added since the filters,
  // then forgets those conditions so the next range starts from the filters.
  const std::string filters_where = where;
  const std::vector<Value> filters_params = params;
  auto run = [&](const std::string& order, size_t limit) {
    auto r = conn.Query(select + where + " ORDER BY " + order + " LIMIT " + std::to_string(limit),
                        params);
    where = filters_where;
    params = filters_params;
    return r;
  };
  store::Rows rows;
  size_t values = 0;  // how many rows came from the range of values (the rest: nulls)
  if (by_id) {
    if (q.after_value) add(std::string("id") + cmp + param(q.after_id));
    TANDEM_ASSIGN_OR_RETURN(rows, run(std::string("id") + dir, want));
  } else {
    // Values first, then the records without one, in either direction. Two
    // ranges, each served by the column's index, rather than one ORDER BY
    // (c IS NULL), c, which no index serves: that sorted the whole table.
    // A masked value sorts as null: among the records without one.
    const std::string sort_mask = conditions.Mask(q.sort_field);
    const bool nullable = q.sort_nullable || !sort_mask.empty();
    const bool after_null = q.after_value && store::IsNull(*q.after_value);
    if (!after_null) {
      if (q.sort_nullable) add(c + " IS NOT NULL");
      if (!sort_mask.empty()) add("NOT " + sort_mask);
      if (q.after_value) {
        const std::string v = param(*q.after_value);
        const std::string id = param(q.after_id);
        add("(" + c + cmp + v + " OR (" + c + " = " + v + " AND id" + cmp + id + "))");
      }
      TANDEM_ASSIGN_OR_RETURN(rows, run(c + dir + ", id" + dir, want));
    }
    values = rows.size();
    if (nullable && rows.size() < want) {
      add(sort_mask.empty() ? c + " IS NULL" : "(" + c + " IS NULL OR " + sort_mask + ")");
      if (after_null) add(std::string("id") + cmp + param(q.after_id));
      TANDEM_ASSIGN_OR_RETURN(store::Rows nulls, run(std::string("id") + dir, want - rows.size()));
      if (rows.columns.empty()) rows.columns = std::move(nulls.columns);
      for (auto& row : nulls.rows) rows.rows.push_back(std::move(row));
    }
  }
  ListResult out;
  const size_t n = std::min(rows.size(), static_cast<size_t>(q.limit));
  out.items.reserve(n);
  for (size_t i = 0; i < n; ++i) out.items.push_back(RowToRecord(type, rows.rows[i]));
  if (rows.size() > static_cast<size_t>(q.limit)) {
    const auto& last = rows.rows[n - 1];
    json cur = {{"s", SortSpec(q)},
                {"id", std::get<int64_t>(last[0])},
                {"v", by_id            ? json(std::get<int64_t>(last[0]))
                      : n - 1 < values ? ValueToJson(last.back())
                                       : json()}};
    out.next_cursor = Base64UrlEncode(cur.dump());
  }
  return out;
}

Result<std::vector<int64_t>> RunCounts(store::Connection& conn, const model::RecordType& type,
                                       const std::vector<ListQuery>& queries) {
  if (queries.empty()) return std::vector<int64_t>{};
  // What every query asks (not archived, a period, ...) is asked once, in
  // the WHERE clause; each count's CASE holds only the rest. Each condition
  // costs about as much as reading the row, so this halves a typical pass.
  auto same = [](const Filter& a, const Filter& b) {
    return a.column == b.column && a.custom == b.custom && a.op == b.op && a.values == b.values;
  };
  ListQuery common = queries[0];
  common.search_patterns.clear();
  common.filters.clear();
  for (const auto& f : queries[0].filters)
    if (std::all_of(queries.begin(), queries.end(), [&](const ListQuery& q) {
          return std::any_of(q.filters.begin(), q.filters.end(),
                             [&](const Filter& g) { return same(f, g); });
        }))
      common.filters.push_back(f);
  // archived = 0 is common only if no query counts archived records.
  common.include_archived = std::any_of(queries.begin(), queries.end(),
                                        [](const ListQuery& q) { return q.include_archived; });
  std::vector<Value> params;
  Conditions shared(type, common, conn.dialect(), params);
  std::vector<std::string> where = shared.Matching();
  if (const std::string visible = shared.Visible(); !visible.empty()) where.push_back(visible);
  std::string counts;
  for (const auto& q : queries) {
    ListQuery rest = q;
    rest.include_archived = true;  // archived = 0 is added below where needed
    std::erase_if(rest.filters, [&](const Filter& f) {
      return std::any_of(common.filters.begin(), common.filters.end(),
                         [&](const Filter& g) { return same(f, g); });
    });
    Conditions conditions(type, rest, conn.dialect(), params);
    std::vector<std::string> own = conditions.Matching();
    if (!q.include_archived && common.include_archived) own.push_back("archived = 0");
    const std::string matching = JoinAnd(own);
    counts += (counts.empty() ? "" : ", ") +
              ("COUNT(CASE WHEN " + (matching.empty() ? "1 = 1" : matching) + " THEN 1 END)");
  }
  // One pass, whatever the WHERE clause: SQLite has no histograms here
  // (stat4), so it takes a range of the common conditions for a few rows
  // and walks an index, reading the table row by row, where most rows match.
  const char* scan = conn.dialect() == store::Dialect::kSqlite ? " NOT INDEXED" : "";
  const std::string sql = "SELECT " + counts + " FROM " + type.table() + scan +
                          (where.empty() ? "" : " WHERE " + JoinAnd(where));
  TANDEM_ASSIGN_OR_RETURN(store::Rows rows, conn.Query(sql, params));
  std::vector<int64_t> out;
  for (const auto& v : rows.rows[0]) out.push_back(std::get<int64_t>(v));
  return out;
}

}  // namespace tandem::records
