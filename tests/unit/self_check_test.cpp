// The start-up self-check: every string that names a type, field,
// transition or role is checked against the declarations, so a typo fails
// loudly at start instead of a rule, hook or index silently doing nothing.
#include <gtest/gtest.h>

#include <functional>
#include <set>

#include "domains/module.h"
#include "model/declare.h"
#include "model/registry.h"
#include "records/hooks.h"

namespace tandem {
namespace {

using namespace model;  // NOLINT: declarations read best unqualified

RecordType Ticket() {
  return RecordType{
      .name = "ticket",
      .collection = "tickets",
      .title = "Ticket",
      .prefix = "TKT",
      .display_field = "title",
      .fields = {Text("title", "Title"), User("owner", "Owner"), Text("requested_by", "Requested"),
                 Enum("kind", "Kind", {"security", "service"})},
      .states =
          StateMachineDecl{
              .initial = "open",
              .states = {"open", "approved"},
              .transitions = {{"submit", {"open"}, "open"},
                              {"approve",
                               {"open"},
                               "approved",
                               {NotCreator(), NotUser("owner"), NotActorOf("submit"),
                                RoleOneOf({"boss"}, "kind", {"security"})}}},
          },
  };
}

TEST(SelfCheck, ASoundDeclarationPasses) {
  EXPECT_NO_THROW(Registry({Ticket()}));
  EXPECT_NO_THROW(BuiltinRegistry());
}

TEST(SelfCheck, EveryNameIsCheckedAgainstTheDeclarations) {
  struct Case {
    const char* what;
    std::function<void(std::vector<RecordType>&)> spoil;
    const char* message;  // part of the error
  };
  auto rules = [](std::vector<RecordType>& t) -> std::vector<DutyRule>& {
    return t[0].states->transitions[1].rules;
  };
  const Case cases[] = {
      {"type declared twice", [](auto& t) { t.push_back(t[0]); }, "declared twice"},
      {"collection shared",
       [](auto& t) {
         t.push_back(t[0]);
         t[1].name = "other";
         t[1].prefix = "OTH";
       },
       "collection 'tickets'"},
      {"prefix shared",
       [](auto& t) {
         t.push_back(t[0]);
         t[1].name = "other";
         t[1].collection = "others";
       },
       "prefix 'TKT'"},
      {"field declared twice", [](auto& t) { t[0].fields.push_back(Text("title", "Again")); },
       "field 'title' declared twice"},
      {"index on an undeclared field", [](auto& t) { t[0].indexes = {{"titel"}}; },
       "index names undeclared field 'titel'"},
      {"transition declared twice",
       [](auto& t) {
         t[0].states->transitions.push_back({"submit", {"open"}, "open"});
       },
       "transition submit is declared twice"},
      {"four-eyes on a text field", [&](auto& t) { rules(t).push_back(NotUser("requested_by")); },
       "'requested_by' is not a user field"},
      {"four-eyes on a missing field", [&](auto& t) { rules(t).push_back(NotUser("ownr")); },
       "'ownr' is not a user field"},
      {"earlier transition misspelt", [&](auto& t) { rules(t).push_back(NotActorOf("sumbit")); },
       "'sumbit' is not a transition"},
      {"condition on a missing field",
       [&](auto& t) { rules(t).push_back(RoleOneOf({"boss"}, "knd", {"security"})); },
       "'knd' is not an enum"},
      {"condition on a missing value",
       [&](auto& t) { rules(t).push_back(RoleOneOf({"boss"}, "kind", {"securty"})); },
       "'securty' is not a value of kind"},
      {"role rule without a role", [&](auto& t) { rules(t).push_back(RoleOneOf({})); },
       "names no role"},
      {"key field not declared", [](auto& t) { t[0].key_field = "code"; },
       "key field 'code' is not a required text field with a unique key"},
      {"key field not unique",
       [](auto& t) {
         t[0].fields[0].required = true;
         t[0].key_field = "title";
       },
       "key field 'title'"},
  };
  for (const Case& c : cases) {
    std::vector<RecordType> types = {Ticket()};
    c.spoil(types);
    try {
      Registry r(std::move(types));
      ADD_FAILURE() << c.what << ": accepted";
    } catch (const std::logic_error& e) {
      EXPECT_NE(std::string(e.what()).find(c.message), std::string::npos)
          << c.what << ": " << e.what();
    }
  }
}

TEST(SelfCheck, HooksNameDeclaredTypesAndTransitions) {
  const Registry registry({Ticket()});
  auto ok = [](records::HookContext&) { return Status::Ok(); };
  records::HookRegistry good;
  good.OnSave("ticket", ok);
  good.OnTransition("ticket", "approve", ok);
  EXPECT_TRUE(good.Check(registry).ok());

  records::HookRegistry bad_type;
  bad_type.OnSave("tiket", ok);
  ASSERT_FALSE(bad_type.Check(registry).ok());
  EXPECT_NE(bad_type.Check(registry).error().detail.find("tiket"), std::string::npos);

  records::HookRegistry bad_transition;
  bad_transition.OnTransition("ticket", "aprove", ok);
  ASSERT_FALSE(bad_transition.Check(registry).ok());
  EXPECT_NE(bad_transition.Check(registry).error().detail.find("aprove"), std::string::npos);
}

TEST(SelfCheck, AKeyFieldMustBeARequiredUniqueText) {
  std::vector<RecordType> types = {Ticket()};
  types[0].fields[0].required = true;
  types[0].unique = {{"title"}};
  types[0].key_field = "title";
  EXPECT_NO_THROW(Registry(std::move(types)));
}

// The names the domain modules' code relies on, reported all at once.
TEST(SelfCheck, ModuleNamesAreCheckedAgainstTheRegistry) {
  const Registry registry({Ticket()});
  struct Case {
    const char* what;
    std::function<void(domains::NameCheck&)> declare;
    const char* missing;  // "" when every name is declared
  };
  const Case cases[] = {
      {"all declared",
       [](auto& n) {
         n.Fields("ticket", {"title", "owner", "state", "created_by"})
             .Values("ticket", "kind", {"security"})
             .States("ticket", {"open", "approved"})
             .Transitions("ticket", {"approve"})
             .Relations({"mitigates"});
       },
       ""},
      {"type", [](auto& n) { n.Type("tiket"); }, "record type 'tiket'"},
      {"field", [](auto& n) { n.Fields("ticket", {"titel"}); }, "ticket.titel"},
      {"value", [](auto& n) { n.Values("ticket", "kind", {"securty"}); },
       "ticket.kind value 'securty'"},
      {"value of a field that is no enum", [](auto& n) { n.Values("ticket", "title", {"x"}); },
       "ticket.title (an enum)"},
      {"state", [](auto& n) { n.States("ticket", {"closed"}); }, "ticket state 'closed'"},
      {"transition", [](auto& n) { n.Transitions("ticket", {"aprove"}); },
       "ticket transition 'aprove'"},
      {"relation", [](auto& n) { n.Relations({"mitigate"}); }, "relation 'mitigate'"},
  };
  for (const Case& c : cases) {
    domains::NameCheck names(registry);
    names.SetModule("test");
    c.declare(names);
    const Status st = names.Verify();
    if (*c.missing == '\0') {
      EXPECT_TRUE(st.ok()) << c.what << ": " << st.error().detail;
      continue;
    }
    ASSERT_FALSE(st.ok()) << c.what;
    EXPECT_NE(st.error().detail.find(std::string("test: ") + c.missing), std::string::npos)
        << c.what << ": " << st.error().detail;
  }
}

// Every built-in module's hooks and names hold against the built-in
// registry: what OpenApp checks before it serves.
TEST(SelfCheck, BuiltinModulesNameOnlyDeclaredThings) {
  const auto modules = domains::BuiltinModules();
  ASSERT_FALSE(modules.empty());
  std::set<std::string> seen;
  for (const auto& m : modules)
    EXPECT_TRUE(seen.insert(std::string(m->name())).second) << m->name();
  const Status names = domains::CheckNames(modules, BuiltinRegistry());
  EXPECT_TRUE(names.ok()) << names.error().detail;
  const Status hooks = domains::HooksOf(modules).Check(BuiltinRegistry());
  EXPECT_TRUE(hooks.ok()) << hooks.error().detail;
}

}  // namespace
}  // namespace tandem
