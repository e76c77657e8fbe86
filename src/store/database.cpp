#include "store/database.h"

#include "store/postgres/postgres_database.h"
#include "store/sqlite/sqlite_database.h"

namespace tandem::store {

Result<std::unique_ptr<Database>> OpenDatabase(const std::string& url, const OpenOptions& options) {
  std::string_view u = url;
  if (u.starts_with("postgres://") || u.starts_with("postgresql://"))
    return OpenPostgres(url, options);
  if (u.starts_with("sqlite:")) u.remove_prefix(7);
  if (u.empty()) return MakeError(ErrorCode::kBadRequest, "empty database path");
  return OpenSqlite(std::string(u), options);
}

}  // namespace tandem::store
