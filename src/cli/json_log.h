// Log lines as JSON objects, one per line, for log collectors:
//   {"time": "...Z", "level": "info", "logger": "tandem", "msg": "..."}
// Lines of the "access" logger carry their fields instead of a message
// (method, path, status, request_id), so a collector can index them.
#pragma once

namespace tandem::cli {

// Switches every logger, present and future, to JSON lines.
void UseJsonLogs();

}  // namespace tandem::cli
