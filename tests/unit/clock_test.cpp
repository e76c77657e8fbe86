#include "core/clock.h"

#include <gtest/gtest.h>

namespace tandem {
namespace {

TEST(Clock, Placeholder) { EXPECT_TRUE(IsValidDate("2026-02-28")); }

}  // namespace
}  // namespace tandem
