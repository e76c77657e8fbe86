// The steps of docs/architecture.md ("Adding a record type", "Adding a
// domain module") that no other test catches: each record type is documented
// and exercised by an API test file, and each domain folder with a module is
// one of the built-in modules and is described in the architecture guide.
// (The declaration, permission matrix, roles, demo records and hooks steps
// fail in self_check_test.cpp and tests/store/access_matrix_test.cpp.)
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "domains/module.h"
#include "model/registry.h"

namespace tandem {
namespace {

namespace fs = std::filesystem;

const fs::path kRoot = fs::path(TANDEM_TESTS_DIR).parent_path();

std::string Read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool Contains(const std::string& text, const std::string& what) {
  return text.find(what) != std::string::npos;
}

TEST(Checklist, EveryRecordTypeIsDocumented) {
  const std::string api = Read(kRoot / "docs/api.md");
  const std::string guide = Lower(Read(kRoot / "docs/user-guide.md"));
  ASSERT_FALSE(api.empty());
  ASSERT_FALSE(guide.empty());
  for (const auto& t : model::BuiltinRegistry().types()) {
    EXPECT_TRUE(Contains(api, "/" + t.collection) || Contains(api, "`" + t.collection + "`"))
        << t.name << ": docs/api.md names no /" << t.collection << " (step 7)";
    EXPECT_TRUE(Contains(guide, Lower(t.title)) || Contains(guide, t.collection))
        << t.name << ": docs/user-guide.md mentions neither '" << t.title << "' nor "
        << t.collection << " (step 7)";
  }
}

TEST(Checklist, EveryRecordTypeHasAnApiTestFile) {
  std::string all;
  for (const auto& e : fs::recursive_directory_iterator(kRoot / "tests/api"))
    if (e.path().extension() == ".test") all += Read(e.path());
  for (const auto& t : model::BuiltinRegistry().types())
    EXPECT_TRUE(Contains(all, "/api/v1/" + t.collection))
        << t.name << ": no tests/api file sends a request to /api/v1/" << t.collection
        << " (step 6)";
}

TEST(Checklist, EveryDomainModuleIsBuiltInAndDescribed) {
  std::set<std::string> builtin;
  for (const auto& m : domains::BuiltinModules()) builtin.insert(std::string(m->name()));
  const std::string architecture = Read(kRoot / "docs/architecture.md");
  int folders = 0;
  for (const auto& e : fs::directory_iterator(kRoot / "src/domains")) {
    if (!e.is_directory() || !fs::exists(e.path() / "module.cpp")) continue;
    ++folders;
    const std::string name = e.path().filename();
    EXPECT_TRUE(builtin.count(name)) << "src/domains/" << name << "/module.cpp: no module '" << name
                                     << "' in domains::BuiltinModules()";
    EXPECT_TRUE(Contains(architecture, "| `" + name + "` |"))
        << name << ": docs/architecture.md has no row for the module";
  }
  EXPECT_EQ(folders, static_cast<int>(builtin.size()))
      << "every built-in module lives in a folder of its own name with a module.cpp";
}

}  // namespace
}  // namespace tandem
