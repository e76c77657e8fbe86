// Timing requests handled in process (tandem-bench-ui, tandem-bench-review):
// a request built as the HTTP server would pass it on, the handler called
// directly, nearest-rank percentiles of the timed ones.
#pragma once

#include <httplib.h>
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include "in_process.h"

namespace tandem::bench {

using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;

struct GetCase {
  std::string name;  // the row's label
  std::string path;
  httplib::Params params;
  std::string marker;  // in every answer: the page or document, not an error
};

// CPU time this process has used, user and system, in milliseconds.
inline double CpuMs() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e3 +
         (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e3;
}

// Sends `warmup` untimed, then `iterations` timed GETs of `c` to `handle` with
// the session's cookie, and prints a row "name p50 p95 max cpu KiB" with the
// name in `width` columns; cpu is the mean CPU time of a timed request, on
// all threads (more than its wall time where a request reads in parallel). False, after saying why
// on stderr, when an answer is not 200 or lacks the marker.
inline bool TimeGets(const Handler& handle, const GetCase& c, const std::string& session_id,
                     int iterations, int warmup, int width) {
  std::vector<double> ms;
  double cpu = 0;
  size_t bytes = 0;
  for (int i = 0; i < iterations + warmup; ++i) {
    httplib::Request req;
    req.method = "GET";
    req.path = c.path;
    req.params = c.params;
    req.remote_addr = "127.0.0.1";
    req.headers.emplace("Cookie", "tandem_session=" + session_id);
    httplib::Response res;
    const double cpu_start = CpuMs();
    const auto start = Clock::now();
    handle(req, res);
    const double elapsed = Ms(Clock::now() - start);
    if (i >= warmup) cpu += CpuMs() - cpu_start;
    if (res.status != 200 || res.body.find(c.marker) == std::string::npos) {
      std::cerr << program_invocation_short_name << ": " << c.name << ": status " << res.status
                << "\n"
                << res.body.substr(0, 500) << "\n";
      return false;
    }
    if (i >= warmup) ms.push_back(elapsed);  // the first requests warm caches
    bytes = res.body.size();
  }
  std::sort(ms.begin(), ms.end());
  std::printf("%-*s %9.2f %9.2f %9.2f %9.2f %9.1f\n", width, c.name.c_str(), Percentile(ms, 0.5),
              Percentile(ms, 0.95), ms.back(), cpu / iterations, static_cast<double>(bytes) / 1024);
  return true;
}

}  // namespace tandem::bench
