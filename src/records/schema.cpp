#include "records/schema.h"

#include <set>

namespace tandem::records {

using model::FieldType;

namespace {

std::string ColumnType(FieldType t) {
  switch (t) {
    case FieldType::kInteger:
    case FieldType::kBoolean:
    case FieldType::kReference: return "INTEGER";
    case FieldType::kDecimal: return "REAL";
    default: return "TEXT";
  }
}

std::string Quote(const std::string& ident) { return "\"" + ident + "\""; }

}  // namespace

std::string CreateTableSql(const model::RecordType& t, store::Dialect) {
  std::string sql = "CREATE TABLE IF NOT EXISTS " + t.table() +
                    " (\n  id INTEGER PRIMARY KEY,\n  version INTEGER NOT NULL,\n"
                    "  state TEXT,\n  created_at TEXT NOT NULL,\n  created_by TEXT NOT NULL,\n"
                    "  updated_at TEXT NOT NULL,\n  updated_by TEXT NOT NULL,\n"
                    "  archived INTEGER NOT NULL DEFAULT 0,\n  custom TEXT NOT NULL DEFAULT '{}'";
  for (const auto& f : t.fields) sql += ",\n  " + Quote(f.name) + " " + ColumnType(f.type);
  return sql + "\n) STRICT";
}

Status EnsureTables(store::Database& db, const model::Registry& registry) {
  return db.Write([&](store::Connection& c) -> Status {
    for (const auto& t : registry.types()) {
      TANDEM_RETURN_IF_ERROR(c.ExecScript(CreateTableSql(t, c.dialect())));
      TANDEM_ASSIGN_OR_RETURN(store::Rows cols,
                              c.Query("SELECT name FROM pragma_table_info('" + t.table() + "')"));
      std::set<std::string> have;
      for (const auto& r : cols.rows) have.insert(std::get<std::string>(r[0]));
      for (const auto& f : t.fields)
        if (!have.count(f.name))
          TANDEM_RETURN_IF_ERROR(c.ExecScript("ALTER TABLE " + t.table() + " ADD COLUMN " +
                                              Quote(f.name) + " " + ColumnType(f.type)));
      auto index = [&](const std::vector<std::string>& fields) {
        std::string name = t.table(), list;
        for (const auto& f : fields) {
          name += "_" + f;
          list += (list.empty() ? "" : ", ") + Quote(f);
        }
        return c.ExecScript("CREATE INDEX IF NOT EXISTS " + name + " ON " + t.table() + " (" + list + ")");
      };
      TANDEM_RETURN_IF_ERROR(index({"state"}));
      TANDEM_RETURN_IF_ERROR(index({"updated_at"}));
      for (const auto& f : t.fields)
        if (f.indexed) TANDEM_RETURN_IF_ERROR(index({f.name}));
      for (const auto& composite : t.indexes) TANDEM_RETURN_IF_ERROR(index(composite));
    }
    return Status::Ok();
  });
}

}  // namespace tandem::records
