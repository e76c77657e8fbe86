// The standards module's routes and pages (module.cpp registers them).
#pragma once

#include "domains/standards/index.h"

namespace tandem::http {
class Router;
}
namespace tandem::web {
class Extensions;
}

namespace tandem::domains {

// The standards and traceability views (standards_api.cpp).
void AddStandardsRoutes(http::Router& router, StandardsIndex& index);
// The Statement of Applicability views (soa_api.cpp).
void AddSoaRoutes(http::Router& router, records::Engine& engine);
// The pages under /standards (standards_pages.cpp).
void AddStandardsPages(web::Extensions& web, StandardsIndex& index);

}  // namespace tandem::domains
