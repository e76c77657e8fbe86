// The dashboard: one panel per management system.
#include "web/pages.h"

namespace tandem::web {

void Dashboard(Page& p) {
  SendTemplate(p, 200, "Dashboard", "dashboard", Obj({}));
}

}  // namespace tandem::web
