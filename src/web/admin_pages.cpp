// Administration: users, roles and permissions, need-to-know groups, custom
// fields.
#include "web/pages.h"

namespace tandem::web {

void AdminPages(Page& p) {
  SendError(p, MakeError(ErrorCode::kNotFound, "Administration pages are not built yet."));
}

}  // namespace tandem::web
