#include "domains/standards/index.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "core/clock.h"
#include "core/json_access.h"
#include "domains/domains.h"
#include "records/audit.h"

namespace tandem::domains {

using nlohmann::json;

namespace {

// More changes than this since the last look: reading everything again is
// cheaper than re-reading them one by one.
constexpr int64_t kMaxIncremental = 2000;

void Put(StandardsSnapshot& s, const std::string& type, const json& r) {
  const int64_t id = r["id"];
  if (type == "standard") {
    s.standards[id] = {id,
                       Str(r, "number"),
                       Str(r, "key"),
                       Str(r, "title"),
                       Str(r, "edition"),
                       Str(r, "publisher"),
                       Str(r, "management_system"),
                       Str(r, "origin"),
                       Str(r, "provenance"),
                       Str(r, "verification"),
                       Str(r, "verification_note"),
                       Str(r, "restricted_to")};
  } else if (type == "requirement") {
    RequirementEntry e{id, Int(r, "standard")};
    e.number = Str(r, "number");
    e.ref = Str(r, "ref");
    e.title = Str(r, "title");
    e.parent_ref = Str(r, "parent_ref");
    e.kind = Str(r, "kind");
    e.label = Str(r, "label");
    e.sort_key = Str(r, "sort_key");
    e.applicability = Str(r, "applicability");
    e.justification = Str(r, "justification");
    e.restricted_to = Str(r, "restricted_to");
    e.withdrawn = Flag(r, "withdrawn");
    s.requirements.Mut()[id] = std::move(e);
  } else if (type == "correspondence") {
    CorrespondenceEntry e{id,
                          Int(r, "source"),
                          Int(r, "target"),
                          Int(r, "source_standard"),
                          Int(r, "target_standard"),
                          Int(r, "overrides")};
    e.number = Str(r, "number");
    e.relationship = Str(r, "relationship");
    e.source_qualifier = Str(r, "source_qualifier");
    e.target_qualifier = Str(r, "target_qualifier");
    e.authority = Str(r, "authority");
    e.origin = Str(r, "origin");
    e.note = Str(r, "note");
    e.rationale = Str(r, "rationale");
    e.summary = Str(r, "summary");
    e.author = Str(r, "created_by");
    e.restricted_to = Str(r, "restricted_to");
    s.correspondences[id] = std::move(e);
  } else if (type == "element") {
    ElementEntry e{id};
    e.number = Str(r, "number");
    e.title = Str(r, "title");
    e.kind = Str(r, "kind");
    e.state = Str(r, "state");
    e.owner = Str(r, "owner");
    e.integration = Str(r, "integration");
    e.restricted_to = Str(r, "restricted_to");
    e.for_isms = Flag(r, "for_isms");
    e.for_sms = Flag(r, "for_sms");
    e.for_qms = Flag(r, "for_qms");
    s.elements[id] = std::move(e);
  } else if (type == "trace") {
    TraceEntry e{id, Int(r, "element"), Int(r, "requirement"), Int(r, "standard")};
    e.number = Str(r, "number");
    e.extent = Str(r, "extent");
    e.note = Str(r, "note");
    e.restricted_to = Str(r, "restricted_to");
    s.traces[id] = std::move(e);
  } else if (type == "evidence") {
    s.evidence[id] = {id,
                      Int(r, "element"),
                      Int(r, "trace"),
                      Str(r, "state"),
                      Str(r, "valid_until"),
                      Str(r, "restricted_to")};
  }
}

void Erase(StandardsSnapshot& s, const std::string& type, int64_t id) {
  if (type == "standard") s.standards.erase(id);
  if (type == "requirement") s.requirements.Mut().erase(id);
  if (type == "correspondence") s.correspondences.erase(id);
  if (type == "element") s.elements.erase(id);
  if (type == "trace") s.traces.erase(id);
  if (type == "evidence") s.evidence.erase(id);
}

constexpr const char* kTypes[] = {"standard", "requirement", "correspondence",
                                  "element",  "trace",       "evidence"};

bool Indexed(const std::string& type) {
  return std::find(std::begin(kTypes), std::end(kTypes), type) != std::end(kTypes);
}

}  // namespace

void StandardsSnapshot::Link(bool requirements_changed) {
  if (requirements_changed) {
    auto& by_ref = requirement_by_ref.Fresh();
    auto& of = requirements_of.Fresh();
    auto& children = children_of.Fresh();
    auto& groups = requirement_groups.Fresh();
    auto& all = requirements.Mut();
    for (const auto& [id, r] : all) {
      by_ref[{r.standard, r.ref}] = id;
      of[r.standard].push_back(id);
      if (!r.restricted_to.empty()) groups.insert(r.restricted_to);
    }
    for (auto& [id, r] : all) {
      auto p = r.parent_ref.empty() ? by_ref.end() : by_ref.find({r.standard, r.parent_ref});
      r.parent = p == by_ref.end() ? 0 : p->second;
      if (r.parent) children[r.parent].push_back(id);
    }
    auto document_order = [&](int64_t a, int64_t b) {
      const auto &ra = all.at(a), &rb = all.at(b);
      return ra.sort_key != rb.sort_key ? ra.sort_key < rb.sort_key : a < b;
    };
    for (auto& [_, ids] : of) std::sort(ids.begin(), ids.end(), document_order);
    for (auto& [_, ids] : children) std::sort(ids.begin(), ids.end(), document_order);
  }
  standard_by_key.clear();
  correspondences_of.clear();
  overridden_by.clear();
  traces_to.clear();
  traces_of.clear();
  evidence_of.clear();
  standards_of_element.clear();
  has_restricted = false;
  restricted_groups.clear();
  for (const auto& [id, s] : standards) standard_by_key[s.key] = id;
  for (const auto& [id, c] : correspondences) {
    correspondences_of[c.source].push_back(id);
    if (c.target) correspondences_of[c.target].push_back(id);
    if (c.overrides) overridden_by[c.overrides].push_back(id);
  }
  for (auto& [_, ids] : correspondences_of) std::sort(ids.begin(), ids.end());
  for (const auto& [id, t] : traces) {
    traces_to[t.requirement].push_back(id);
    traces_of[t.element].push_back(id);
  }
  for (auto& [_, ids] : traces_to) std::sort(ids.begin(), ids.end());
  for (const auto& [id, e] : evidence) evidence_of[e.element].push_back(id);
  for (auto& [element, ids] : traces_of) {
    std::sort(ids.begin(), ids.end());
    std::set<std::string> keys;
    for (int64_t t : ids)
      if (auto s = standards.find(traces.at(t).standard); s != standards.end())
        keys.insert(s->second.key);
    standards_of_element[element].assign(keys.begin(), keys.end());
  }
  auto note_groups = [&](const auto& map) {
    for (const auto& [_, e] : map)
      if (!e.restricted_to.empty()) restricted_groups.insert(e.restricted_to);
  };
  note_groups(standards);
  restricted_groups.insert(requirement_groups->begin(), requirement_groups->end());
  note_groups(correspondences);
  note_groups(elements);
  note_groups(traces);
  note_groups(evidence);
  has_restricted = !restricted_groups.empty();
}

SnapshotView::SnapshotView(std::shared_ptr<const StandardsSnapshot> snapshot, records::Actor actor,
                           std::string today)
    : snapshot_(std::move(snapshot)),
      actor_(std::move(actor)),
      today_(std::move(today)),
      can_standard_(actor_.Can("standard", records::Action::kRead)),
      can_requirement_(actor_.Can("requirement", records::Action::kRead)),
      can_correspondence_(actor_.Can("correspondence", records::Action::kRead)),
      can_element_(actor_.Can("element", records::Action::kRead)),
      can_trace_(actor_.Can("trace", records::Action::kRead)),
      can_evidence_(actor_.Can("evidence", records::Action::kRead)) {}

Status SnapshotView::Require(std::initializer_list<const char*> types) const {
  for (const char* t : types)
    if (!actor_.Can(t, records::Action::kRead))
      return MakeError(ErrorCode::kForbidden,
                       std::string("your roles do not allow read on ") + t + " records");
  return Status::Ok();
}

bool SnapshotView::SeesAll() const {
  return can_standard_ && can_requirement_ && can_correspondence_ && can_element_ && can_trace_ &&
         can_evidence_ && !snapshot_->has_restricted;
}

std::string SnapshotView::Audience() const {
  std::string out;
  for (bool can : {can_standard_, can_requirement_, can_correspondence_, can_element_, can_trace_,
                   can_evidence_})
    out += can ? '1' : '0';
  out += " " + today_;
  for (const auto& g : snapshot_->restricted_groups)
    if (Sees(g)) out += "\n" + g;
  return out;
}

bool SnapshotView::Sees(const std::string& restricted_to) const {
  return actor_.CanSee(restricted_to);
}

const StandardEntry* SnapshotView::Standard(int64_t id) const {
  auto it = snapshot_->standards.find(id);
  return can_standard_ && it != snapshot_->standards.end() && Sees(it->second.restricted_to)
             ? &it->second
             : nullptr;
}

const StandardEntry* SnapshotView::StandardByKey(const std::string& key) const {
  auto it = snapshot_->standard_by_key.find(key);
  return it == snapshot_->standard_by_key.end() ? nullptr : Standard(it->second);
}

const RequirementEntry* SnapshotView::Requirement(int64_t id) const {
  auto it = snapshot_->requirements->find(id);
  return can_requirement_ && it != snapshot_->requirements->end() &&
                 Sees(it->second.restricted_to) && Standard(it->second.standard)
             ? &it->second
             : nullptr;
}

const RequirementEntry* SnapshotView::RequirementByRef(int64_t standard,
                                                       const std::string& ref) const {
  auto it = snapshot_->requirement_by_ref->find({standard, ref});
  return it == snapshot_->requirement_by_ref->end() ? nullptr : Requirement(it->second);
}

const CorrespondenceEntry* SnapshotView::Correspondence(int64_t id) const {
  auto it = snapshot_->correspondences.find(id);
  if (!can_correspondence_ || it == snapshot_->correspondences.end()) return nullptr;
  const auto& c = it->second;
  if (!Sees(c.restricted_to) || !Requirement(c.source)) return nullptr;
  if (c.target ? !Requirement(c.target) : !Standard(c.target_standard)) return nullptr;
  return &c;
}

const ElementEntry* SnapshotView::Element(int64_t id) const {
  auto it = snapshot_->elements.find(id);
  return can_element_ && it != snapshot_->elements.end() && Sees(it->second.restricted_to)
             ? &it->second
             : nullptr;
}

const TraceEntry* SnapshotView::Trace(int64_t id) const {
  auto it = snapshot_->traces.find(id);
  if (!can_trace_ || it == snapshot_->traces.end()) return nullptr;
  const auto& t = it->second;
  return Sees(t.restricted_to) && Element(t.element) && Requirement(t.requirement) ? &t : nullptr;
}

const EvidenceEntry* SnapshotView::Evidence(int64_t id) const {
  auto it = snapshot_->evidence.find(id);
  if (!can_evidence_ || it == snapshot_->evidence.end()) return nullptr;
  return Sees(it->second.restricted_to) && Element(it->second.element) ? &it->second : nullptr;
}

const char* SnapshotView::EvidenceOf(const TraceEntry& trace) const {
  if (!can_evidence_) return nullptr;
  EvidenceTally tally;
  if (auto it = snapshot_->evidence_of.find(trace.element); it != snapshot_->evidence_of.end())
    for (int64_t id : it->second)
      if (const EvidenceEntry* e = Evidence(id); e && (!e->trace || e->trace == trace.id))
        tally.Add(e->state, e->valid_until, today_);
  return tally.Status();
}

StandardsIndex::StandardsIndex(records::Engine& engine) : engine_(engine) {}

Status StandardsIndex::LoadAll(StandardsSnapshot& into, int64_t& seen_seq) {
  // The head first: whatever commits while we read is applied again on the
  // next refresh, which is harmless.
  TANDEM_RETURN_IF_ERROR(engine_.db().Read([&](store::Connection& c) -> Status {
    TANDEM_ASSIGN_OR_RETURN(seen_seq, records::AuditHeadSeq(c));
    return Status::Ok();
  }));
  into = StandardsSnapshot();
  const auto system = records::SystemActor("standards-index");
  for (const char* type : kTypes) {
    TANDEM_ASSIGN_OR_RETURN(auto records, ListAll(engine_, system, type));
    for (const auto& r : records) Put(into, type, r);
  }
  return Status::Ok();
}

Status StandardsIndex::Reload(StandardsSnapshot& into, const std::string& type, int64_t id) {
  const auto system = records::SystemActor("standards-index");
  auto r = engine_.Get(system, *engine_.registry().Find(type), id);
  if (!r.ok() && r.error().code != ErrorCode::kNotFound) return r.status();
  if (!r.ok() || r->value("archived", false))
    Erase(into, type, id);
  else
    Put(into, type, *r);
  return Status::Ok();
}

Result<std::shared_ptr<const StandardsSnapshot>> StandardsIndex::Current() {
  std::lock_guard lock(mu_);
  if (!snapshot_) {
    auto fresh = std::make_shared<StandardsSnapshot>();
    int64_t seq = 0;
    TANDEM_RETURN_IF_ERROR(LoadAll(*fresh, seq));
    fresh->Link();
    snapshot_ = std::move(fresh);
    seen_seq_ = seq;
    return snapshot_;
  }
  std::vector<records::RecordChange> changes;
  TANDEM_RETURN_IF_ERROR(engine_.db().Read([&](store::Connection& c) -> Status {
    TANDEM_ASSIGN_OR_RETURN(changes,
                            records::RecordChangesSince(c, seen_seq_, kMaxIncremental + 1));
    return Status::Ok();
  }));
  if (changes.empty()) return snapshot_;
  auto next = std::make_shared<StandardsSnapshot>();
  int64_t seq = changes.back().seq;
  bool requirements_changed = true;  // unless only other types changed (below)
  if (static_cast<int64_t>(changes.size()) > kMaxIncremental) {
    TANDEM_RETURN_IF_ERROR(LoadAll(*next, seq));
  } else {
    std::set<std::pair<std::string, int64_t>> changed;
    for (const auto& ch : changes)
      if (Indexed(ch.record_type) && ch.record_id) changed.insert({ch.record_type, ch.record_id});
    if (changed.empty()) {
      seen_seq_ = seq;
      return snapshot_;
    }
    requirements_changed = false;
    *next = *snapshot_;
    for (const auto& [type, id] : changed) {
      TANDEM_RETURN_IF_ERROR(Reload(*next, type, id));
      requirements_changed |= type == "requirement";
    }
  }
  next->Link(requirements_changed);
  snapshot_ = std::move(next);
  seen_seq_ = seq;
  return snapshot_;
}

Result<SnapshotView> StandardsIndex::View(const records::Actor& actor) {
  TANDEM_ASSIGN_OR_RETURN(auto snapshot, Current());
  return SnapshotView(std::move(snapshot), actor, DateOf(engine_.clock().Now()));
}

}  // namespace tandem::domains
