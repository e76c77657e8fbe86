// Need-to-know on every reference field of every record type, generated from
// the declarations so that a new type is covered the day it is declared.
//
// For each reference field `f` of type T (pointing at type R) four T records
// are loaded: f -> a public R, f -> an R restricted to a group, f -> another
// public R, and f empty. For a reader outside the group the restricted R does
// not exist, so every filter operator, sort order, page cursor and search on
// f, and on every field derived from f (FieldDecl::derived_from), must give
// exactly what it would if that record's f were empty, and no response may
// contain the hidden record's marker. The expected answers are worked out here
// from the reader's view of the four records, independently of the SQL.
//
// Records are loaded through the import path, which writes rows as given
// (no hooks), so any type can be set up without knowing its business rules.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <sstream>

#include "core/clock.h"
#include "records/transfer.h"
#include "test_app.h"

namespace tandem {
namespace {

using model::FieldDecl;
using model::FieldType;
using model::RecordType;
using nlohmann::json;

constexpr char kGroup[] = "ntk";
constexpr char kMarker[] = "MARKER-7f3a";
// Every type holds records 1 (public), 2 (public), 3 (restricted, marked) and
// 4 (public); the records under test start here.
constexpr int64_t kFirstSubject = 100;

// A stored value of the right shape for a field no test looks at. Texts
// carry the record's id, and the four records every type starts with point
// at their namesakes, so that no two of them share a unique key.
json Filler(const FieldDecl& f, int64_t id) {
  switch (f.type) {
    case FieldType::kText:
    case FieldType::kLongText:
      return "filler " + std::to_string(id);
    case FieldType::kInteger:
      return f.min < f.max ? f.min : 1;
    case FieldType::kDecimal:
      return 1.5;
    case FieldType::kBoolean:
      return false;
    case FieldType::kDate:  // a day of its own, for keys that hold a date
      return AddDays("2026-01-01", static_cast<int>(id));
    case FieldType::kDateTime:
      return "2026-01-01T00:00:00.000Z";
    case FieldType::kEnum:
      return f.enum_values.front();
    case FieldType::kReference:
      return id;
    case FieldType::kUser:
      return "someone";
    case FieldType::kJson:
      return json::object();
    case FieldType::kFile:  // never required: no stored file is needed
      return nullptr;
  }
  return nullptr;
}

json Record(const RecordType& t, int64_t id, const char* group) {
  json r = {{"type", t.name},
            {"id", id},
            {"version", 1},
            {"created_at", "2026-01-01T00:00:00.000Z"},
            {"updated_at", "2026-01-01T00:00:00.000Z"},
            {"created_by", "loader"},
            {"updated_by", "loader"},
            {"archived", false},
            {"custom", json::object()},
            {"restricted_to", group ? json(group) : json()}};
  if (t.states) r["state"] = t.states->initial;
  for (const auto& f : t.fields) r[f.name] = f.required ? Filler(f, id) : json();
  return r;
}

// One reference field under test and the ids of its four subject records.
struct Subject {
  const RecordType* type;
  const FieldDecl* field;
  std::vector<int64_t> ids;          // stored targets 2, 3 (hidden), 4, none
  std::vector<std::string> derived;  // fields masked along with it (text ones get values)
};

// Fields of `t` masked when `ref` is hidden, `ref` itself excluded.
std::vector<const FieldDecl*> DerivedFrom(const RecordType& t, const FieldDecl& ref) {
  std::vector<const FieldDecl*> out;
  for (const auto& f : t.fields)
    if (&f != &ref)
      for (const auto* s : t.MaskSources(f))
        if (s == &ref) out.push_back(&f);
  return out;
}

bool IsText(const FieldDecl& f) {
  return f.type == FieldType::kText || f.type == FieldType::kLongText;
}

class NeedToKnowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto& registry = app_.engine().registry();
    std::ostringstream out;
    out << json{{"format", "tandem-export"}, {"format_version", 1}}.dump() << '\n';
    for (const auto& t : registry.types()) {
      for (int64_t id = 1; id <= 4; ++id) {
        json r = Record(t, id, id == 3 ? kGroup : nullptr);
        if (id == 3 && IsText(*t.Field(t.display_field)))
          r[t.display_field] = std::string(kMarker) + " hidden " + t.name;
        out << json{{"kind", "record"}, {"record", r}}.dump() << '\n';
      }
      int64_t next = kFirstSubject;
      for (const auto& f : t.fields) {
        if (f.type != FieldType::kReference) continue;
        Subject s{&t, &f, {}, {}};
        const std::optional<int64_t> targets[] = {2, 3, 4, std::nullopt};
        const char* texts[] = {"alpha", kMarker, "gamma", "delta"};
        for (int i = 0; i < 4; ++i) {
          if (!targets[i] && f.required) continue;  // a required reference is never empty
          json r = Record(t, next, nullptr);
          // Other references stay empty (imports take rows as given): then no
          // unique key of references alone is shared by two subjects.
          for (const auto& other : t.fields)
            if (other.type == FieldType::kReference) r[other.name] = nullptr;
          r[f.name] = targets[i] ? json(*targets[i]) : json();
          for (const auto* d : DerivedFrom(t, f)) {
            if (IsText(*d))
              r[d->name] = std::string(texts[i]) + " derived " + std::to_string(next);
            else
              r[d->name] = Filler(*d, next);
          }
          out << json{{"kind", "record"}, {"record", r}}.dump() << '\n';
          s.ids.push_back(next++);
        }
        for (const auto* d : DerivedFrom(t, f))
          if (IsText(*d) && !d->internal) s.derived.push_back(d->name);
        subjects_.push_back(s);
      }
    }
    std::istringstream in(out.str());
    auto imported = records::Import(app_.engine(), in);
    ASSERT_TRUE(imported.ok()) << imported.error().detail;

    reader_.name = "outsider";
    member_.name = "member";
    member_.groups = {kGroup};
    auto grants = std::make_shared<records::Grants>();
    for (const auto& t : registry.types())
      (*grants)[t.name].actions = records::Bit(records::Action::kRead);
    reader_.grants = member_.grants = grants;
  }

  // Ids of the list `params` (restricted to the subject's records) gives
  // `actor`, following the cursor with `page` records per request; the raw
  // responses are appended to *seen.
  std::vector<int64_t> List(const records::Actor& actor, const Subject& s,
                            std::multimap<std::string, std::string> params, std::string* seen,
                            int page = 50) {
    std::string ids;
    for (int64_t id : s.ids) ids += (ids.empty() ? "" : ",") + std::to_string(id);
    params.emplace("filter[id][in]", ids);
    params.emplace("limit", std::to_string(page));
    std::vector<int64_t> out;
    for (int guard = 0; guard < 10; ++guard) {
      auto q = app_.engine().ParseList(*s.type, params);
      if (!q.ok()) {
        ADD_FAILURE() << s.type->name << " " << q.error().detail;
        return out;
      }
      auto r = app_.engine().List(actor, *s.type, *q);
      if (!r.ok()) {
        ADD_FAILURE() << s.type->name << " " << r.error().detail;
        return out;
      }
      for (const auto& item : r->items) {
        out.push_back(item["id"].get<int64_t>());
        *seen += item.dump();
      }
      *seen += r->next_cursor;
      if (r->next_cursor.empty()) break;
      params.erase("after");
      params.emplace("after", r->next_cursor);
    }
    return out;
  }

  testing::TestApp app_;
  std::vector<Subject> subjects_;
  records::Actor reader_, member_;
};

// What the reader sees of a subject's reference: 2, (hidden: empty), 4, empty.
std::optional<int64_t> Seen(const Subject& s, size_t i) {
  static const std::optional<int64_t> view[] = {2, std::nullopt, 4, std::nullopt};
  return view[i];
}

struct OpCase {
  const char* op;
  const char* value;
  // Whether a reference that reads `v` matches.
  bool (*match)(std::optional<int64_t> v);
};

const OpCase kOps[] = {
    {"eq", "2", [](auto v) { return v == 2; }},
    {"eq", "3", [](auto v) { return v == 3; }},
    {"ne", "2", [](auto v) { return v != 2; }},  // an empty value is "not 2"
    {"ne", "3", [](auto v) { return v != 3; }},
    {"lt", "3", [](auto v) { return v && *v < 3; }},
    {"le", "3", [](auto v) { return v && *v <= 3; }},
    {"gt", "2", [](auto v) { return v && *v > 2; }},
    {"ge", "3", [](auto v) { return v && *v >= 3; }},
    {"gt", "0", [](auto v) { return v.has_value(); }},
    {"in", "2,3", [](auto v) { return v == 2 || v == 3; }},
    {"in", "3", [](auto v) { return v == 3; }},
    {"null", "true", [](auto v) { return !v; }},
    {"null", "false", [](auto v) { return v.has_value(); }},
};

TEST_F(NeedToKnowTest, EveryReferenceFieldCovered) {
  size_t refs = 0;
  for (const auto& t : app_.engine().registry().types())
    for (const auto& f : t.fields) refs += f.type == FieldType::kReference;
  EXPECT_EQ(subjects_.size(), refs);
  EXPECT_GT(refs, 30u);  // the declarations have many; a loader bug must not make this vacuous
}

TEST_F(NeedToKnowTest, FiltersOnReferencesActAsIfHiddenWereEmpty) {
  for (const auto& s : subjects_) {
    const std::string where = s.type->name + "." + s.field->name;
    for (const auto& c : kOps) {
      std::string seen;
      const std::string key = "filter[" + s.field->name + "][" + c.op + "]";
      auto got = List(reader_, s, {{key, c.value}}, &seen);
      std::vector<int64_t> want;
      for (size_t i = 0; i < s.ids.size(); ++i)
        if (c.match(Seen(s, i))) want.push_back(s.ids[i]);
      EXPECT_EQ(got, want) << where << " " << key << "=" << c.value;
      EXPECT_EQ(seen.find(kMarker), std::string::npos) << where << " " << key;
    }
    // A member sees the stored value.
    std::string seen;
    EXPECT_EQ(List(member_, s, {{"filter[" + s.field->name + "]", "3"}}, &seen),
              std::vector<int64_t>{s.ids[1]})
        << where;
  }
}

// Engine::CountEach counts in one pass what each list would show: every
// operator at once, sharing the subject's id filter (asked once for all),
// with a count of the whole type (the restricted record counts for a member
// only) and one of archived records among them.
TEST_F(NeedToKnowTest, CountsInOnePassAgreeWithTheLists) {
  auto parse = [&](const RecordType& t, std::multimap<std::string, std::string> params) {
    auto q = app_.engine().ParseList(t, params);
    EXPECT_TRUE(q.ok()) << t.name;
    return q.ok() ? *q : records::ListQuery{};
  };
  auto count = [&](const records::Actor& actor, const RecordType& t,
                   const records::ListQuery& query) {
    records::ListQuery q = query;
    q.count_only = true;
    auto r = app_.engine().List(actor, t, q);
    EXPECT_TRUE(r.ok()) << t.name;
    return r.ok() ? r->total : -1;
  };
  for (const auto& s : subjects_) {
    const std::string where = s.type->name + "." + s.field->name;
    std::string ids;
    for (int64_t id : s.ids) ids += (ids.empty() ? "" : ",") + std::to_string(id);
    std::vector<records::ListQuery> queries;
    std::vector<int64_t> want;  // the reader's
    for (const auto& c : kOps) {
      queries.push_back(parse(*s.type, {{"filter[id][in]", ids},
                                        {"filter[" + s.field->name + "][" + c.op + "]", c.value}}));
      int64_t n = 0;
      for (size_t i = 0; i < s.ids.size(); ++i) n += c.match(Seen(s, i));
      want.push_back(n);
    }
    queries.push_back(parse(*s.type, {}));
    want.push_back(count(reader_, *s.type, queries.back()));
    queries.push_back(parse(*s.type, {{"filter[archived]", "true"}}));
    want.push_back(0);
    auto got = app_.engine().CountEach(reader_, *s.type, queries);
    ASSERT_TRUE(got.ok()) << where << " " << got.error().detail;
    EXPECT_EQ(*got, want) << where;
    auto member = app_.engine().CountEach(member_, *s.type, queries);
    ASSERT_TRUE(member.ok()) << where;
    for (size_t i = 0; i < queries.size(); ++i)
      EXPECT_EQ((*member)[i], count(member_, *s.type, queries[i])) << where << " query " << i;
    EXPECT_EQ(member->at(std::size(kOps)), want[std::size(kOps)] + 1) << where << ": record 3";
  }
}

TEST_F(NeedToKnowTest, SortAndPagingOnReferencesPlaceHiddenAmongEmpty) {
  for (const auto& s : subjects_) {
    const std::string where = s.type->name + "." + s.field->name;
    // Ascending: 2, 4, then the empty ones (hidden included) in id order.
    std::vector<int64_t> asc = {s.ids[0], s.ids[2], s.ids[1]};
    std::vector<int64_t> desc = {s.ids[2], s.ids[0]};
    if (s.ids.size() == 4) asc.push_back(s.ids[3]);
    for (auto it = s.ids.rbegin(); it != s.ids.rend(); ++it)
      if (*it == s.ids[1] || (s.ids.size() == 4 && *it == s.ids[3])) desc.push_back(*it);
    for (int page : {50, 1, 2}) {
      std::string seen;
      EXPECT_EQ(List(reader_, s, {{"sort", s.field->name}}, &seen, page), asc)
          << where << " page " << page;
      EXPECT_EQ(List(reader_, s, {{"sort", "-" + s.field->name}}, &seen, page), desc)
          << where << " descending, page " << page;
      EXPECT_EQ(seen.find(kMarker), std::string::npos) << where;
    }
  }
}

TEST_F(NeedToKnowTest, DerivedFieldsReadAsEmptyOnEveryPath) {
  size_t derived = 0;
  for (const auto& s : subjects_) {
    const std::string where = s.type->name + "." + s.field->name;
    // Reading each record: the reference and everything derived from it.
    for (size_t i = 0; i < s.ids.size(); ++i) {
      auto r = app_.engine().Get(reader_, *s.type, s.ids[i]);
      ASSERT_TRUE(r.ok()) << where << " " << r.error().detail;
      EXPECT_EQ(r->dump().find(kMarker), std::string::npos) << where;
      if (i != 1) continue;
      EXPECT_TRUE((*r)[s.field->name].is_null()) << where;
      for (const auto* d : DerivedFrom(*s.type, *s.field)) {
        if (d->internal) continue;
        EXPECT_TRUE((*r)[d->name].is_null()) << where << " -> " << d->name;
      }
    }
    for (const auto& name : s.derived) {
      ++derived;
      const std::string at = where + " -> " + name;
      std::string seen;
      EXPECT_TRUE(List(reader_, s, {{"filter[" + name + "][contains]", kMarker}}, &seen).empty())
          << at;
      EXPECT_TRUE(List(reader_, s, {{"q", kMarker}}, &seen).empty()) << at;
      EXPECT_EQ(List(reader_, s, {{"filter[" + name + "][null]", "true"}}, &seen),
                std::vector<int64_t>{s.ids[1]})
          << at;
      // Sorted by text, the masked value goes last, with the empty ones.
      auto sorted = List(reader_, s, {{"sort", name}}, &seen, 1);
      ASSERT_FALSE(sorted.empty()) << at;
      EXPECT_EQ(sorted.back(), s.ids[1]) << at;
      EXPECT_EQ(seen.find(kMarker), std::string::npos) << at;
      EXPECT_EQ(List(member_, s, {{"filter[" + name + "][contains]", kMarker}}, &seen),
                std::vector<int64_t>{s.ids[1]})
          << at;
    }
  }
  EXPECT_GT(derived, 5u);
}

// Nothing of a hidden record reaches a plain list of any type either.
TEST_F(NeedToKnowTest, ListsOfEveryTypeLeaveHiddenOut) {
  for (const auto& t : app_.engine().registry().types()) {
    auto q = app_.engine().ParseList(t, {{"limit", "500"}});
    ASSERT_TRUE(q.ok());
    auto r = app_.engine().List(reader_, t, *q);
    ASSERT_TRUE(r.ok()) << t.name << " " << r.error().detail;
    for (const auto& item : r->items) {
      EXPECT_NE(item["id"], 3) << t.name;
      EXPECT_EQ(item.dump().find(kMarker), std::string::npos) << t.name;
    }
  }
}

}  // namespace
}  // namespace tandem
