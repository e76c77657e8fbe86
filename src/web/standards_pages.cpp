// The standards views: traceability matrix, Statement of Applicability,
// readiness, glossary.
#include "web/pages.h"

namespace tandem::web {

void StandardsPages(Page& p) {
  SendError(p, MakeError(ErrorCode::kNotFound, "Standards pages are not built yet."));
}

}  // namespace tandem::web
