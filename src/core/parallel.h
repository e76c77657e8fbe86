// Running independent pieces of one request's work on several threads.
#pragma once

#include <functional>
#include <vector>

namespace tandem {

// Runs every task, on up to `threads` threads counting the caller's, and
// returns when all have finished. Tasks take their work from a shared queue,
// so a long one does not hold back the others. If a task throws, the others
// still run and the first exception is rethrown here.
void RunAll(const std::vector<std::function<void()>>& tasks, unsigned threads);

}  // namespace tandem
