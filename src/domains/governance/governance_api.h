// The governance module's routes and pages (module.cpp registers them).
#pragma once

namespace tandem::http {
class Router;
}
namespace tandem::records {
class Engine;
}
namespace tandem::web {
class Extensions;
}

namespace tandem::domains {

// Audit checklists and reports, review packs, measure charts, competence,
// capacity and acknowledgements (governance_api.cpp).
void AddGovernanceRoutes(http::Router& router, records::Engine& engine);
// The record-page parts and the /governance pages (governance_pages.cpp).
void AddGovernancePages(web::Extensions& web);

}  // namespace tandem::domains
