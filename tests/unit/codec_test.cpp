#include "records/codec.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "model/declare.h"

namespace tandem::records {
namespace {

using nlohmann::json;

struct ValueCase {
  model::FieldDecl field;
  const char* input;       // JSON text
  const char* error;       // expected message fragment; "" when valid
  const char* normalized;  // JSON text after normalization (valid cases), or nullptr = unchanged
};

TEST(Codec, CheckValueTable) {
  using namespace model;
  const ValueCase cases[] = {
      {Text("t", "T"), R"("hello")", "", nullptr},
      {Text("t", "T"), R"(12)", "must be a string", nullptr},
      {Text("t", "T").MaxLength(3), R"("abcd")", "at most 3 characters", nullptr},
      {Text("t", "T").MaxLength(3), R"("äöü")", "", nullptr},  // characters, not bytes
      {Text("t", "T"), R"("a\nb")", "control characters", nullptr},
      {LongText("t", "T"), R"("a\nb\tc")", "", nullptr},
      {Text("t", "T"), R"("invoice\u202Efdp.exe")", "bidirectional override", nullptr},
      {Text("t", "T"), R"("a\u202Ab")", "bidirectional override", nullptr},
      {LongText("t", "T"), R"("x\u2066y\u2069")", "bidirectional override", nullptr},
      {Text("t", "T"), R"("\u202F\u2065\u206A")", "", nullptr},  // neighbours are fine
      {Text("t", "T"), R"("مرحبا")", "", nullptr},               // right-to-left text itself
      {Text("t", "T").Required(), R"("  ")", "must not be blank", nullptr},
      {Integer("n", "N"), R"(42)", "", nullptr},
      {Integer("n", "N"), R"(4.2)", "must be an integer", nullptr},
      {Integer("n", "N"), R"("42")", "must be an integer", nullptr},
      {Integer("n", "N"), R"(18446744073709551615)", "too large", nullptr},
      {Rating("r", "R"), R"(0)", "between 1 and 5", nullptr},
      {Rating("r", "R"), R"(5)", "", nullptr},
      {Decimal("d", "D"), R"(2)", "", "2.0"},
      {Decimal("d", "D"), R"(99.95)", "", nullptr},
      {Decimal("d", "D"), R"(true)", "must be a number", nullptr},
      {Boolean("b", "B"), R"(false)", "", nullptr},
      {Boolean("b", "B"), R"(0)", "true or false", nullptr},
      {Date("d", "D"), R"("2026-11-23")", "", nullptr},
      {Date("d", "D"), R"("23/11/2026")", "YYYY-MM-DD", nullptr},
      {DateTime("d", "D"), R"("2026-11-23T10:00:00+01:00")", "", R"("2026-11-23T09:00:00.000Z")"},
      {DateTime("d", "D"), R"("2026-11-23")", "time zone", nullptr},
      {Enum("e", "E", {"a", "b"}), R"("b")", "", nullptr},
      {Enum("e", "E", {"a", "b"}), R"("c")", "one of: a, b", nullptr},
      {Ref("r", "R", "service"), R"(3)", "", nullptr},
      {Ref("r", "R", "service"), R"(0)", "id of a service", nullptr},
      {User("u", "U"), R"("j.doe@example.com")", "", nullptr},
      {User("u", "U"), R"("j doe")", "letters, digits", nullptr},
      {Json("j", "J"), R"({"any": [1, "thing"]})", "", nullptr},
  };
  for (const auto& c : cases) {
    json v = json::parse(c.input);
    std::string msg = CheckInput(c.field, v);
    if (*c.error == '\0') {
      EXPECT_EQ(msg, "") << c.field.name << " " << c.input;
      json expected = json::parse(c.normalized ? c.normalized : c.input);
      EXPECT_EQ(v, expected) << c.input;
    } else {
      EXPECT_NE(msg.find(c.error), std::string::npos) << c.input << " gave '" << msg << "'";
    }
  }
}

TEST(Codec, RecordNumbersTable) {
  model::RecordType t{.name = "incident", .prefix = "INC"};
  EXPECT_EQ(FormatNumber(t, 42), "INC-000042");
  EXPECT_EQ(FormatNumber(t, 12345678), "INC-12345678");
  const std::pair<const char*, int64_t> cases[] = {
      {"42", 42},     {"INC-000042", 42},
      {"INC-42", 42}, {"CHG-000042", 0},
      {"0", 0},       {"-4", 0},
      {"4x", 0},      {"", 0},
      {"INC-", 0},    {"99999999999999999999", 0},
  };
  for (const auto& [text, id] : cases) EXPECT_EQ(ParseRecordId(t, text), id) << text;
}

}  // namespace
}  // namespace tandem::records
