// The whole role x record type x action matrix, driven by
// tests/access/default-permissions.matrix: for every cell, a user holding only
// that column's role performs every action on that row's type through the
// record engine (where access is decided). Allowed actions must succeed;
// every other action must be refused with kForbidden naming what was refused.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "app/app.h"
#include "test_app.h"

namespace tandem {
namespace {

using nlohmann::json;
using records::Action;
using records::Actor;

constexpr char kMatrixFile[] = TANDEM_TESTS_DIR "/access/default-permissions.matrix";
constexpr char kTransitionsFile[] = TANDEM_TESTS_DIR "/access/default-transitions.matrix";
constexpr char kReadOnlyColumn[] = "read-only-token";

struct Row {
  std::string type;
  std::string transition;          // the transitions matrix only
  std::vector<std::string> cells;  // one per column, e.g. "rcut" or "-"
  int line = 0;
};

struct Matrix {
  std::vector<std::string> columns;
  std::vector<Row> rows;
};

// The header is the last comment line before the first row ("# type ...").
// Rows of the transitions matrix start with the type and the transition.
Matrix ReadMatrix(const char* file = kMatrixFile) {
  const bool transitions = std::string_view(file) == kTransitionsFile;
  std::ifstream in(file);
  if (!in) throw std::runtime_error(std::string("cannot read ") + file);
  Matrix m;
  std::string line, last_comment;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.starts_with("#")) {
      last_comment = line.substr(1);
      continue;
    }
    std::istringstream words(line);
    Row row{.line = n};
    if (!(words >> row.type)) continue;
    if (transitions) words >> row.transition;
    if (m.columns.empty()) {
      std::istringstream header(last_comment);
      std::string word;
      header >> word;                   // "type"
      if (transitions) header >> word;  // "transition"
      while (header >> word) m.columns.push_back(word);
    }
    for (std::string cell; words >> cell;) row.cells.push_back(cell);
    if (row.cells.size() != m.columns.size())
      throw std::runtime_error("line " + std::to_string(n) + ": expected " +
                               std::to_string(m.columns.size()) + " cells");
    m.rows.push_back(std::move(row));
  }
  return m;
}

char Letter(Action a) {
  switch (a) {
    case Action::kRead:
      return 'r';
    case Action::kCreate:
      return 'c';
    case Action::kUpdate:
      return 'u';
    case Action::kTransition:
      return 't';
    case Action::kArchive:
      return 'a';
    case Action::kAdminister:
      return 'm';
  }
  return '?';
}

class AccessMatrixTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(app::LoadDemo(t_.app()).ok());
    ASSERT_TRUE(app::LoadBuiltinContent(t_.app()).ok());
    // A custom framework, so that samples are not built-in content (which
    // only the system may create or change).
    json standard = t_.Create(
        "standard",
        {{"key", "matrix:1"}, {"title", "Matrix framework"}, {"management_system", "other"}});
    json requirement = t_.Create(
        "requirement", {{"standard", standard["id"]}, {"ref", "M.1"}, {"kind", "control"}});
    t_.Create("correspondence", {{"source", requirement["id"]},
                                 {"target_standard", 1},
                                 {"relationship", "no-relationship"},
                                 {"rationale", "matrix sample"}});
  }

  // A read-write (or, for the read-only column, read) API token of a new user
  // holding only `column`'s role.
  std::string TokenFor(const std::string& column) {
    const bool read_only = column == kReadOnlyColumn;
    const std::string role = read_only ? "administrator" : column;
    const std::string username = "matrix." + role + (read_only ? ".ro" : "");
    auto user = t_.auth().CreateUser(
        system_,
        {{"username", username}, {"password", "matrix test password 1"}, {"roles", {role}}});
    EXPECT_TRUE(user.ok()) << user.error().detail;
    auto token = t_.auth().IssueToken(
        system_, username, {{"name", "matrix"}, {"scope", read_only ? "read" : "read-write"}});
    EXPECT_TRUE(token.ok()) << token.error().detail;
    return token.ok() ? (*token)["token"].get<std::string>() : "";
  }

  // The actor a request with `token` acts as, built by the auth layer from the
  // stored roles as in production.
  Actor ActorOf(const std::string& token) {
    auto who = t_.auth().AuthenticateToken(token);
    EXPECT_TRUE(who.ok()) << who.error().detail;
    return who.ok() ? who->actor : Actor{};
  }

  // A valid body for `type`: the declared fields of its newest record that
  // every role can see, with what it refers to (one the test made, for types
  // whose newest would be built-in content). The demo's need-to-know records
  // would be missing for most roles.
  json SampleBody(const model::RecordType& type) {
    auto q = *t_.engine().ParseList(type, {{"sort", "-id"}, {"limit", "20"}});
    auto page = t_.engine().List(system_, type, q);
    EXPECT_TRUE(page.ok() && !page->items.empty()) << "no demo " << type.name;
    auto open = [&](const json& rec) {
      if (!rec["restricted_to"].is_null()) return false;
      for (const auto& f : type.fields) {
        if (f.type != model::FieldType::kReference || !rec[f.name].is_number_integer()) continue;
        auto target = t_.engine().Get(system_, *t_.engine().registry().Find(f.ref_type),
                                      rec[f.name].get<int64_t>());
        if (!target.ok() || !(*target)["restricted_to"].is_null()) return false;
      }
      return true;
    };
    for (const auto& rec : page.ok() ? page->items : std::vector<json>{}) {
      if (!open(rec)) continue;
      json body = json::object();
      for (const auto& f : type.fields)
        if (!f.computed && rec.contains(f.name) && !rec[f.name].is_null())
          body[f.name] = rec[f.name];
      return body;
    }
    ADD_FAILURE() << "no demo " << type.name << " that every role can see";
    return json::object();
  }

  // The display field, or where that is computed the first text field a
  // client may set.
  static std::string EditableText(const model::RecordType& type) {
    if (!type.Field(type.display_field)->computed) return type.display_field;
    for (const auto& f : type.fields)
      if ((f.type == model::FieldType::kText || f.type == model::FieldType::kLongText) &&
          !f.computed)
        return f.name;
    return type.display_field;
  }

  // `body` with the last field of each unique key made unique: a text gets a
  // suffix, a reference a new record to point at.
  json Fresh(const model::RecordType& type, json body) {
    for (const auto& key : type.unique) {
      const model::FieldDecl& last = *type.Field(key.back());
      if (last.computed) continue;
      if (body[last.name].is_string()) {
        // Samples may themselves be fresh copies: replace their suffix.
        const std::string value = body[last.name];
        body[last.name] = value.substr(0, value.find("-x")) + "-x" + std::to_string(++fresh_);
      } else if (last.type == model::FieldType::kReference) {
        const auto& target = *t_.engine().registry().Find(last.ref_type);
        auto rec = t_.engine().Create(system_, target, Fresh(target, SampleBody(target)));
        EXPECT_TRUE(rec.ok()) << rec.error().detail;
        if (rec.ok()) body[last.name] = (*rec)["id"];
      }
    }
    return body;
  }

  // Performs `action` on `type` as `actor`; the engine's answer.
  Status Perform(const Actor& actor, const model::RecordType& type, Action action, const json& body,
                 const std::string& column) {
    auto& engine = t_.engine();
    auto fresh = [&] {
      auto r = engine.Create(system_, type, Fresh(type, body));
      EXPECT_TRUE(r.ok()) << r.error().detail;
      return r.ok() ? *r : json{{"id", 0}, {"version", 0}};
    };
    auto status = [](const auto& result) {
      return result.ok() ? Status::Ok() : Status(result.error());
    };
    switch (action) {
      case Action::kRead: {
        const json rec = fresh();
        TANDEM_RETURN_IF_ERROR(status(engine.Get(actor, type, rec["id"])));
        return status(engine.List(actor, type, records::ListQuery{}));
      }
      case Action::kCreate:
        return status(engine.Create(actor, type, Fresh(type, body)));
      case Action::kUpdate: {
        const json rec = fresh();
        return status(engine.Update(actor, type, rec["id"], rec["version"],
                                    {{EditableText(type), "renamed by " + column}}));
      }
      case Action::kTransition:  // EveryRoleAndTransition
        break;
      case Action::kArchive:
        return status(engine.SetArchived(actor, type, fresh()["id"], true, std::nullopt));
      case Action::kAdminister:
        return status(engine.DefineCustomField(
            actor, type,
            {{"name", "matrix_" + std::to_string(++custom_fields_)}, {"type", "text"}}));
    }
    return Status::Ok();
  }

  testing::TestApp t_;
  const Actor system_ = records::SystemActor("setup");
  int custom_fields_ = 0;
  int fresh_ = 0;
};

TEST_F(AccessMatrixTest, EveryRoleTypeAndAction) {
  const Matrix m = ReadMatrix();
  const Matrix transitions = ReadMatrix(kTransitionsFile);
  ASSERT_FALSE(m.rows.empty());
  ASSERT_EQ(m.columns, transitions.columns);
  std::map<std::string, Actor> actors;
  for (const auto& column : m.columns) actors.emplace(column, ActorOf(TokenFor(column)));

  std::set<std::string> types_in_matrix;
  for (const Row& row : m.rows) {
    types_in_matrix.insert(row.type);
    SCOPED_TRACE("default-permissions.matrix:" + std::to_string(row.line) + " " + row.type);
    if (row.type == "audit_trail") {
      for (size_t i = 0; i < m.columns.size(); ++i) {
        auto events = t_.auth().SecurityEvents(actors.at(m.columns[i]), 0, 10);
        const bool allowed = row.cells[i].find('r') != std::string::npos;
        EXPECT_EQ(events.ok(), allowed) << m.columns[i] << " reading the security events";
        if (!allowed && !events.ok()) {
          EXPECT_EQ(events.error().code, ErrorCode::kForbidden);
        }
      }
      continue;
    }
    const model::RecordType* type = t_.engine().registry().Find(row.type);
    ASSERT_NE(type, nullptr) << "unknown record type " << row.type;
    const json body = SampleBody(*type);
    for (size_t i = 0; i < m.columns.size(); ++i) {
      // 't' is the transitions matrix in short: some transition of the type.
      bool some_transition = false;
      for (const Row& tr : transitions.rows)
        some_transition |= tr.type == row.type && tr.cells.at(i) == "y";
      if (type->states) {
        EXPECT_EQ(row.cells[i].find('t') != std::string::npos, some_transition)
            << m.columns[i] << ": 't' disagrees with default-transitions.matrix";
      }
      for (Action action : records::kAllActions) {
        if (action == Action::kTransition) continue;
        const bool allowed = row.cells[i].find(Letter(action)) != std::string::npos;
        const std::string what = m.columns[i] + " may " + (allowed ? "" : "not ") +
                                 std::string(records::ActionName(action)) + " " + row.type;
        Status s = Perform(actors.at(m.columns[i]), *type, action, body, m.columns[i]);
        if (allowed) {
          EXPECT_TRUE(s.ok()) << what << ", but: " << s.error().detail;
        } else if (s.ok()) {
          ADD_FAILURE() << what << ", but it succeeded";
        } else {
          EXPECT_EQ(s.error().code, ErrorCode::kForbidden) << what << ": " << s.error().detail;
          const std::string expected_text =
              m.columns[i] == kReadOnlyColumn
                  ? "read-only"
                  : std::string(records::ActionName(action)) + " on " + row.type;
          EXPECT_NE(s.error().detail.find(expected_text), std::string::npos)
              << what << ": the refusal should say what was refused: " << s.error().detail;
        }
      }
    }
  }
  // Every record type is in the matrix: a new type must get its row.
  for (const auto& type : t_.engine().registry().types())
    EXPECT_TRUE(types_in_matrix.count(type.name)) << type.name << " has no row in the matrix";
}

// The transition dimension: every transition of every type, as every role.
// Permission alone is tested here, on a fresh record made by someone else:
// what the state machine, the type's checks or a separation-of-duties rule
// then say is tests/api/access/duties.test's business.
TEST_F(AccessMatrixTest, EveryRoleAndTransition) {
  const Matrix m = ReadMatrix(kTransitionsFile);
  ASSERT_FALSE(m.rows.empty());
  std::map<std::string, Actor> actors;
  for (const auto& column : m.columns) actors.emplace(column, ActorOf(TokenFor(column)));
  std::set<std::pair<std::string, std::string>> in_matrix;
  std::map<std::string, json> bodies;
  for (const Row& row : m.rows) {
    SCOPED_TRACE("default-transitions.matrix:" + std::to_string(row.line) + " " + row.type + " " +
                 row.transition);
    in_matrix.emplace(row.type, row.transition);
    const model::RecordType* type = t_.engine().registry().Find(row.type);
    ASSERT_TRUE(type && type->states && type->states->Find(row.transition))
        << "no transition " << row.transition << " of " << row.type;
    if (!bodies.count(row.type)) bodies[row.type] = SampleBody(*type);
    for (size_t i = 0; i < m.columns.size(); ++i) {
      auto rec = t_.engine().Create(system_, *type, Fresh(*type, bodies[row.type]));
      ASSERT_TRUE(rec.ok()) << rec.error().detail;
      auto r = t_.engine().Transition(actors.at(m.columns[i]), *type, (*rec)["id"], row.transition,
                                      std::nullopt);
      const bool refused_by_permissions =
          !r.ok() && r.error().code == ErrorCode::kForbidden && r.error().rule.empty();
      if (row.cells[i] == "y") {
        EXPECT_FALSE(refused_by_permissions)
            << m.columns[i] << " may take it, but: " << r.error().detail;
      } else {
        EXPECT_TRUE(refused_by_permissions) << m.columns[i] << " may not take it, but got: "
                                            << (r.ok() ? std::string("success") : r.error().detail);
        if (refused_by_permissions && m.columns[i] != kReadOnlyColumn) {
          EXPECT_NE(r.error().detail.find(row.type), std::string::npos)
              << "the refusal should name the type: " << r.error().detail;
        }
      }
    }
  }
  for (const auto& type : t_.engine().registry().types())
    for (const auto& tr :
         type.states ? type.states->transitions : std::vector<model::TransitionDecl>{})
      EXPECT_TRUE(in_matrix.count({type.name, tr.name}))
          << type.name << " " << tr.name << " has no row in default-transitions.matrix";
}

// Permissions are data: an administrator's change applies to the next call of
// a user already signed in, without a restart.
TEST_F(AccessMatrixTest, EditedPermissionsApplyAtOnce) {
  const Actor admin = ActorOf(TokenFor("administrator"));
  const std::string viewer = TokenFor("viewer");
  const model::RecordType& incident = t_.type("incident");
  const model::RecordType& risk = t_.type("risk");
  auto before = t_.engine().Create(ActorOf(viewer), incident, SampleBody(incident));
  ASSERT_FALSE(before.ok());
  EXPECT_EQ(before.error().code, ErrorCode::kForbidden);

  auto put = t_.auth().PutRole(admin, "viewer", {{"grants", {{"incident", {"read", "create"}}}}});
  ASSERT_TRUE(put.ok()) << put.error().detail;
  EXPECT_TRUE(t_.engine().Create(ActorOf(viewer), incident, SampleBody(incident)).ok());
  EXPECT_FALSE(t_.engine().Create(ActorOf(viewer), risk, SampleBody(risk)).ok())
      << "only incident creation was granted";

  // Only administrators edit roles, and the administrator role's permissions are fixed.
  auto by_viewer =
      t_.auth().PutRole(ActorOf(viewer), "viewer", {{"grants", {{"risk", {"read", "create"}}}}});
  ASSERT_FALSE(by_viewer.ok());
  EXPECT_EQ(by_viewer.error().code, ErrorCode::kForbidden);
  auto narrowed = t_.auth().PutRole(admin, "administrator", {{"grants", {{"risk", {"read"}}}}});
  ASSERT_FALSE(narrowed.ok());
  EXPECT_EQ(narrowed.error().code, ErrorCode::kValidation);
}

}  // namespace
}  // namespace tandem
