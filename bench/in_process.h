// What the in-process benchmarks (tandem-bench-traceability, tandem-bench-ui)
// share: stopping at the first error, nearest-rank percentiles as tandem-load
// reports them, and the CPU's name for the report's machine line.
#pragma once

#include <errno.h>   // program_invocation_short_name
#include <stdlib.h>  // mkdtemp

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "core/result.h"

// The build type the benchmark was compiled as (set by CMake), for its report.
#ifndef TANDEM_BUILD_TYPE
#define TANDEM_BUILD_TYPE "unknown"
#endif

namespace tandem::bench {

using Clock = std::chrono::steady_clock;

inline double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

[[noreturn]] inline void Die(const std::string& what, const Error& e) {
  std::cerr << program_invocation_short_name << ": " << what << ": " << e.detail << "\n";
  for (const auto& f : e.fields) std::cerr << "  " << f.field << ": " << f.message << "\n";
  std::exit(1);
}

template <typename T>
T Check(Result<T> r, const std::string& what) {
  if (!r.ok()) Die(what, r.error());
  return std::move(*r);
}

inline void Check(const Status& s, const std::string& what) {
  if (!s.ok()) Die(what, s.error());
}

// The nearest-rank percentile `p` (0..1] of `sorted`, which is ascending and
// not empty.
inline double Percentile(const std::vector<double>& sorted, double p) {
  size_t rank = static_cast<size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1];
}

inline std::string CpuModel() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("model name", 0) == 0) {
      auto colon = line.find(':');
      if (colon != std::string::npos) {
        auto v = line.substr(colon + 1);
        v.erase(0, v.find_first_not_of(' '));
        return v;
      }
    }
  return "unknown CPU";
}

// The database a benchmark runs on: the --db URL given, or else a fresh
// SQLite file `name` in a temporary directory removed with this object.
class ScratchDatabase {
 public:
  ScratchDatabase(std::string url, const std::string& name) : url_(std::move(url)) {
    if (!url_.empty()) return;
    std::string templ = (std::filesystem::temp_directory_path() /
                         (std::string(program_invocation_short_name) + "-XXXXXX"))
                            .string();
    if (!mkdtemp(templ.data())) {
      std::perror("mkdtemp");
      std::exit(1);
    }
    dir_ = templ;
    url_ = "sqlite:" + (dir_ / name).string();
  }
  ~ScratchDatabase() {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;

  const std::string& url() const { return url_; }

 private:
  std::string url_;
  std::filesystem::path dir_;
};

}  // namespace tandem::bench
