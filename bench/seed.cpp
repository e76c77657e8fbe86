// tandem-seed: writes an import file (the format of `tandem export`) holding
// N incidents and their audit trail, for `tandem import` to load.
//
// Creating a million incidents through the API would take longer than the
// benchmarks themselves, so the records are written directly, shaped exactly
// as Engine::Create would have stored them: the same fields and defaults, the
// computed priority, state "new", and one "create" audit event per record
// whose changes text and chain hash come from the project's own functions.
// Import checks each record against its type and each event against the
// chain, so a file the server could not have written fails to load.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>

#include "core/clock.h"
#include "core/hash.h"
#include "incidents.h"
#include "model/registry.h"
#include "records/audit.h"
#include "records/codec.h"
#include "store/migrations.h"

namespace tandem::bench {
namespace {

using nlohmann::json;

constexpr const char* kActor = "local";  // who the HTTP API acts as (LocalActor)
constexpr const char* kGenesis = "0000000000000000000000000000000000000000000000000000000000000000";

struct Options {
  int64_t records = 1'000'000;
  std::string output;
  uint64_t seed = 1;
  std::string start = "2025-01-01T00:00:00Z";
  double span_days = 365;
};

// The record's content, i.e. what the engine's create audit event holds
// under "after": every non-bookkeeping key (see Content in engine.cpp).
// Fields the body leaves out are null or, like ValidateInput does, their
// declared default.
json Content(const model::RecordType& type, const Incident& i, std::string_view priority) {
  json c = json::object();
  for (const auto& f : type.fields)
    c[f.name] = !f.computed && f.default_value ? json::parse(*f.default_value) : json();
  c["title"] = i.title;
  c["description"] = i.description;
  c["kind"] = i.kind;
  c["classification"] = i.classification;
  c["impact"] = i.impact;
  c["urgency"] = i.urgency;
  c["priority"] = priority;
  c["state"] = type.states->initial;
  c["archived"] = false;
  c["custom"] = json::object();
  return c;
}

// Adds the bookkeeping keys RowToRecord returns, turning content into a record.
void AddBookkeeping(const model::RecordType& type, int64_t id, const std::string& at, json& rec) {
  rec["id"] = id;
  rec["number"] = records::FormatNumber(type, id);
  rec["type"] = type.name;
  rec["version"] = 1;
  rec["created_at"] = rec["updated_at"] = at;
  rec["created_by"] = rec["updated_by"] = kActor;
}

std::string AuditLine(const records::AuditEvent& e) {
  return json{{"kind", "audit"},
              {"seq", e.seq},
              {"at", e.at},
              {"actor", e.actor},
              {"action", e.action},
              {"record_type", e.record_type},
              {"record_id", *e.record_id},
              {"changes", e.changes},
              {"prev_hash", e.prev_hash},
              {"hash", e.hash}}
      .dump();
}

std::string Header(const model::Registry& registry, const model::RecordType& type, int64_t n) {
  json counts = json::object();
  for (const auto& t : registry.types()) counts[t.name] = t.name == type.name ? n : 0;
  counts["links"] = 0;
  counts["audit_events"] = n;
  counts["custom_fields"] = 0;
  return json{{"format", "tandem-export"},
              {"format_version", 1},
              {"schema_version", store::LatestSchemaVersion()},
              {"counts", counts}}
      .dump();
}

// Writes incident `id` created at `at` to `records`, and its create event,
// chained onto `e` (the previous event), to `events`.
void WriteIncident(const model::RecordType& type, int64_t id, const std::string& at,
                   const Incident& inc, records::AuditEvent& e, std::ostream& records,
                   std::ostream& events) {
  json rec = Content(type, inc, Priority(inc.impact, inc.urgency));
  e.seq = id;
  e.record_id = id;
  e.at = at;
  e.prev_hash = std::move(e.hash);
  e.changes = json{{"after", rec}}.dump();
  e.hash = records::ComputeAuditHash(e);
  events << AuditLine(e) << '\n';
  AddBookkeeping(type, id, at, rec);
  records << R"({"kind":"record","record":)" << rec.dump() << "}\n";
}

// Export order is every record, then every audit event. The events go to a
// side file while records stream out, then are appended, so memory stays flat.
int Write(const Options& o) {
  const model::Registry& registry = model::BuiltinRegistry();
  const model::RecordType& type = *registry.Find("incident");
  const auto start = ParseTimestamp(o.start);
  if (!start) {
    std::cerr << "tandem-seed: --start must be a timestamp such as 2025-01-01T00:00:00Z\n";
    return 2;
  }
  const std::string audit_path = o.output + ".audit-part";
  std::ofstream out(o.output, std::ios::binary | std::ios::trunc);
  std::ofstream audit(audit_path, std::ios::binary | std::ios::trunc);
  if (!out || !audit) {
    std::cerr << "tandem-seed: cannot write " << o.output << "\n";
    return 1;
  }
  // Creation times spread evenly over the span, increasing with id.
  const double step_ms = o.span_days * 86'400'000.0 / static_cast<double>(o.records);
  std::mt19937_64 rng(o.seed);
  records::AuditEvent e;
  e.actor = kActor;
  e.action = "create";
  e.record_type = type.name;
  e.hash = kGenesis;  // becomes the first event's prev_hash

  out << Header(registry, type, o.records) << '\n';
  for (int64_t id = 1; id <= o.records; ++id) {
    const auto at = *start + std::chrono::milliseconds(
                                 static_cast<int64_t>(static_cast<double>(id - 1) * step_ms));
    WriteIncident(type, id, FormatTimestamp(at), RandomIncident(rng), e, out, audit);
  }
  audit.close();
  if (!audit) {
    std::cerr << "tandem-seed: writing " << audit_path << " failed (disk full?)\n";
    return 1;
  }
  std::ifstream events(audit_path, std::ios::binary);
  out << events.rdbuf();
  events.close();
  std::filesystem::remove(audit_path);
  out.close();
  if (!out) {
    std::cerr << "tandem-seed: writing " << o.output << " failed (disk full?)\n";
    return 1;
  }
  return 0;
}

}  // namespace
}  // namespace tandem::bench

int main(int argc, char** argv) {
  tandem::bench::Options o;
  CLI::App app{"tandem-seed: write an import file of N incidents with their audit trail"};
  app.add_option("--records", o.records, "Incidents to write")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("-o,--output", o.output, "File to write (JSON lines, for `tandem import`)")
      ->required();
  app.add_option("--seed", o.seed, "Random seed for the incidents' content")->capture_default_str();
  app.add_option("--start", o.start, "Creation time of the first incident")->capture_default_str();
  app.add_option("--span-days", o.span_days, "Days over which creation times are spread")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  CLI11_PARSE(app, argc, argv);

  tandem::InitCrypto();
  const auto t0 = std::chrono::steady_clock::now();
  if (int rc = tandem::bench::Write(o); rc != 0) return rc;
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const auto bytes = std::filesystem::file_size(o.output);
  std::printf(
      "tandem-seed: wrote %lld incidents and %lld audit events to %s (%.0f MB) in %.1f s "
      "(%.0f records/s)\n",
      static_cast<long long>(o.records), static_cast<long long>(o.records), o.output.c_str(),
      static_cast<double>(bytes) / 1e6, s, static_cast<double>(o.records) / s);
  return 0;
}
