// The file store: uploads kept once by their SHA-256, named by file fields.
#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/hash.h"
#include "core/media_type.h"
#include "records/codec.h"
#include "records/effects.h"

namespace tandem::records {

using nlohmann::json;
using store::Connection;
using store::Value;

namespace {

// Whether the actor may write a record that holds files: only they have
// files to attach. Viewers, read-only tokens and the like do not.
bool MayWriteSomething(const Actor& actor, const model::Registry& registry) {
  if (actor.read_only) return false;
  for (const auto& t : registry.types()) {
    bool files = false;
    for (const auto& f : t.fields) files |= f.type == model::FieldType::kFile;
    if (files && (actor.Can(t.name, Action::kCreate) || actor.Can(t.name, Action::kUpdate)))
      return true;
  }
  return false;
}

}  // namespace

Result<json> Engine::PutFile(const Actor& actor, std::string_view bytes, const std::string& name) {
  if (!MayWriteSomething(actor, registry_))
    return MakeError(ErrorCode::kForbidden, "your roles do not allow changing any record that holds files");
  if (bytes.empty())
    return MakeError(ErrorCode::kValidation, "the file is empty", {{"file", "is empty"}});
  if (bytes.size() > kMaxFileBytes)
    return MakeError(ErrorCode::kPayloadTooLarge,
                     "a file may hold at most " + std::to_string(kMaxFileBytes >> 20) + " MiB");
  const std::string sha = Sha256Hex(bytes);
  json file = {{"sha256", sha}, {"name", name}};
  const model::FieldDecl decl{.name = "name", .type = model::FieldType::kFile};
  if (std::string why = CheckValue(decl, file); !why.empty())
    return MakeError(ErrorCode::kValidation, "the file name is not usable", {{"name", why}});
  const std::string media_type = SniffMediaType(bytes);
  if (std::string why = RefusedMediaType(media_type); !why.empty())
    return MakeError(ErrorCode::kUnsupportedMediaType, why);
  TANDEM_RETURN_IF_ERROR(db_.Write([&](Connection& c) -> Status {
    Value p[] = {sha,
                 static_cast<int64_t>(bytes.size()),
                 media_type,
                 Base64UrlEncode(bytes),
                 FormatTimestamp(clock_.Now()),
                 actor.name};
    return c
        .Execute(
            "INSERT INTO files (sha256, size, media_type, data, created_at, created_by) "
            "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (sha256) DO NOTHING",
            p)
        .status();
  }));
  file["media_type"] = media_type;
  file["size"] = static_cast<int64_t>(bytes.size());
  return file;
}

Status Engine::CheckFiles(Connection& c, const model::RecordType& type, json& values) {
  std::vector<FieldError> errors;
  for (const auto& f : type.fields) {
    if (f.type != model::FieldType::kFile) continue;
    auto it = values.find(f.name);
    if (it == values.end() || it->is_null()) continue;
    Value p[] = {(*it)["sha256"].get<std::string>()};
    TANDEM_ASSIGN_OR_RETURN(store::Rows r,
                            c.Query("SELECT size, media_type FROM files WHERE sha256 = $1", p));
    if (r.empty()) {
      errors.push_back(
          {f.name, "no stored file has this sha256; upload it first (POST /api/v1/files)"});
      continue;
    }
    (*it)["size"] = std::get<int64_t>(r.rows[0][0]);
    (*it)["media_type"] = std::get<std::string>(r.rows[0][1]);
  }
  if (!errors.empty())
    return MakeError(ErrorCode::kValidation, "a file is not in the file store", std::move(errors));
  return Status::Ok();
}

Result<Engine::FileContent> Engine::ReadFile(const Actor& actor, const model::RecordType& type,
                                             int64_t id, const std::string& field) {
  const model::FieldDecl* f = type.Field(field);
  if (!f || f->type != model::FieldType::kFile)
    return MakeError(ErrorCode::kNotFound, type.name + " has no file field '" + field + "'");
  TANDEM_ASSIGN_OR_RETURN(json record, Get(actor, type, id));
  const json& file = record[field];
  if (!file.is_object())
    return MakeError(ErrorCode::kNotFound,
                     record["number"].get<std::string>() + " holds no file in " + field);
  FileContent out{file["name"], file["media_type"], file["sha256"], ""};
  TANDEM_RETURN_IF_ERROR(db_.Read([&](Connection& c) -> Status {
    Value p[] = {file["sha256"].get<std::string>()};
    TANDEM_ASSIGN_OR_RETURN(store::Rows r, c.Query("SELECT data FROM files WHERE sha256 = $1", p));
    if (r.empty()) return MakeError(ErrorCode::kInternal, "a stored file is missing");
    auto bytes = Base64UrlDecode(std::get<std::string>(r.rows[0][0]));
    if (!bytes || Sha256Hex(*bytes) != file["sha256"].get<std::string>())
      return MakeError(ErrorCode::kInternal, "a stored file no longer matches its SHA-256");
    out.bytes = std::move(*bytes);
    return Status::Ok();
  }));
  return out;
}

}  // namespace tandem::records
