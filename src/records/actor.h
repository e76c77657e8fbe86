// Who is acting. Every engine call takes one, so the audit trail always knows.
// Until identity management arrives, the HTTP layer uses LocalActor().
#pragma once

#include <string>

namespace tandem::records {

struct Actor {
  std::string name;
};

inline Actor LocalActor() { return Actor{"local"}; }
inline Actor SystemActor() { return Actor{"system"}; }

}  // namespace tandem::records
