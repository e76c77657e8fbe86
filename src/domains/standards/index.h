// An in-memory read model of the standards layer: standards, requirements,
// correspondences, IMS elements, their traces and the evidence that they
// operate, kept current from the audit trail.
//
// The traceability matrix and derived correspondences walk thousands of
// these records on every request; reading and decoding them through the
// engine each time would cost far more than the answer (see
// docs/performance.md). Every write to a record appends an audit event in
// the same transaction, and events commit in sequence order, so the index
// asks only "which records changed after the last event I saw?" and re-reads
// those. A server therefore sees other servers' writes on its next request.
//
// Records are held as the system sees them; every query applies the
// reader's permissions and need-to-know with the engine's own predicates
// (Actor::Can, Actor::CanSee), so what a user may not read is never used in
// an answer given to them.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "records/actor.h"
#include "records/engine.h"

namespace tandem::domains {

struct StandardEntry {
  int64_t id = 0;
  std::string number, key, title, edition, publisher, management_system, origin, provenance,
      verification, verification_note, restricted_to;
};

struct RequirementEntry {
  int64_t id = 0;
  int64_t standard = 0;
  int64_t parent = 0;  // the requirement its parent_ref names, 0 when none
  std::string number, ref, title, parent_ref, kind, label, sort_key, applicability, justification,
      restricted_to;
  bool withdrawn = false;
};

struct CorrespondenceEntry {
  int64_t id = 0;
  int64_t source = 0, target = 0;  // target 0: the other standard has no counterpart
  int64_t source_standard = 0, target_standard = 0;
  int64_t overrides = 0;
  std::string number, relationship, source_qualifier, target_qualifier, authority, origin, note,
      rationale, summary, author, restricted_to;
};

struct ElementEntry {
  int64_t id = 0;
  std::string number, title, kind, state, owner, integration, restricted_to;
  bool for_isms = false, for_sms = false, for_qms = false;
};

struct TraceEntry {
  int64_t id = 0;
  int64_t element = 0, requirement = 0, standard = 0;
  std::string number, extent, note, restricted_to;
};

// Evidence that an element operates (a governance record): for the element
// as a whole, or for one of its traces.
struct EvidenceEntry {
  int64_t id = 0;
  int64_t element = 0, trace = 0;  // trace 0: the element as a whole
  std::string state, valid_until, restricted_to;
};

struct MatrixPages;  // queries.h

// A part of a snapshot shared with the snapshot it was copied from until one
// of them changes it (copy on write): a framework's 150,000 requirements are
// not copied because an element changed. Only a snapshot being built (under
// the index's lock, before it is published) calls Mut().
template <typename T>
class CopyOnWrite {
 public:
  CopyOnWrite() : p_(std::make_shared<T>()) {}
  const T& operator*() const { return *p_; }
  const T* operator->() const { return p_.get(); }
  T& Mut() {
    if (p_.use_count() > 1) p_ = std::make_shared<T>(*p_);
    return *p_;
  }
  // A new empty one of its own, for a part about to be worked out again.
  T& Fresh() {
    p_ = std::make_shared<T>();
    return *p_;
  }

 private:
  std::shared_ptr<T> p_;
};

// One consistent state of the index. Immutable once published.
struct StandardsSnapshot {
  std::unordered_map<int64_t, StandardEntry> standards;
  CopyOnWrite<std::unordered_map<int64_t, RequirementEntry>> requirements;
  std::unordered_map<int64_t, CorrespondenceEntry> correspondences;
  std::unordered_map<int64_t, ElementEntry> elements;
  std::unordered_map<int64_t, TraceEntry> traces;
  std::unordered_map<int64_t, EvidenceEntry> evidence;

  // Built from the maps above by Link().
  std::map<std::string, int64_t> standard_by_key;
  // From the requirements alone, so worked out again only when one changed.
  CopyOnWrite<std::map<std::pair<int64_t, std::string>, int64_t>> requirement_by_ref;
  CopyOnWrite<std::unordered_map<int64_t, std::vector<int64_t>>>
      requirements_of;  // in document order
  CopyOnWrite<std::unordered_map<int64_t, std::vector<int64_t>>>
      children_of;                                        // requirement -> children
  CopyOnWrite<std::set<std::string>> requirement_groups;  // need-to-know groups of requirements
  std::unordered_map<int64_t, std::vector<int64_t>> correspondences_of;  // either end
  std::unordered_map<int64_t, std::vector<int64_t>> overridden_by;  // correspondence -> users' ones
  std::unordered_map<int64_t, std::vector<int64_t>> traces_to;      // requirement -> traces
  std::unordered_map<int64_t, std::vector<int64_t>> traces_of;      // element -> traces
  std::unordered_map<int64_t, std::vector<int64_t>> evidence_of;    // element -> evidence
  // The standards each element traces to (by key), counting every trace.
  std::unordered_map<int64_t, std::vector<std::string>> standards_of_element;
  bool has_restricted = false;              // some record of the snapshot is need-to-know
  std::set<std::string> restricted_groups;  // the groups those records are restricted to

  // Answers worked out from this snapshot, e.g. a matrix's JSON, by standard
  // key and audience (SnapshotView::Audience): between two writes every
  // reader of one audience gets the same bytes. Empty in a new snapshot
  // (copying one does not copy its memo).
  struct Memo {
    std::mutex mu;
    std::map<std::string, std::shared_ptr<const MatrixPages>> matrices;
    Memo() = default;
    Memo(const Memo&) {}
    Memo& operator=(const Memo&) { return *this; }
  };
  mutable Memo memo;

  // Works out everything below the six maps from them; what comes from the
  // requirements alone only when `requirements_changed`.
  void Link(bool requirements_changed = true);
};

// What a reader may see of a snapshot.
class SnapshotView {
 public:
  // `today` (an ISO date) is the day evidence is judged on.
  SnapshotView(std::shared_ptr<const StandardsSnapshot> snapshot, records::Actor actor,
               std::string today);

  const StandardsSnapshot& data() const { return *snapshot_; }
  const records::Actor& actor() const { return actor_; }
  const std::string& today() const { return today_; }

  // The reader may read all six types and nothing in the snapshot is
  // restricted: every record exists for them, and answers may be shared.
  bool SeesAll() const;

  // Who the reader is as far as this snapshot can tell: which of the six
  // types they may read and which of its need-to-know groups they are in,
  // and the day (evidence expires by itself). Readers with the same audience
  // see exactly the same records.
  std::string Audience() const;

  bool CanReadEvidence() const { return can_evidence_; }

  // kForbidden unless the reader may read every type in `types`.
  Status Require(std::initializer_list<const char*> types) const;

  // Null when the record does not exist for the reader.
  const StandardEntry* Standard(int64_t id) const;
  const StandardEntry* StandardByKey(const std::string& key) const;
  const RequirementEntry* Requirement(int64_t id) const;
  const RequirementEntry* RequirementByRef(int64_t standard, const std::string& ref) const;
  const CorrespondenceEntry* Correspondence(int64_t id) const;
  const ElementEntry* Element(int64_t id) const;
  // A trace exists for the reader when it, its element and its requirement do.
  const TraceEntry* Trace(int64_t id) const;
  // Evidence exists for the reader when it and its element do.
  const EvidenceEntry* Evidence(int64_t id) const;

  // What the visible evidence for `trace` says today (EvidenceTally): the
  // evidence of the trace itself and of its element as a whole; null when
  // the reader may not read evidence.
  const char* EvidenceOf(const TraceEntry& trace) const;

 private:
  bool Sees(const std::string& restricted_to) const;

  std::shared_ptr<const StandardsSnapshot> snapshot_;
  records::Actor actor_;
  std::string today_;
  bool can_standard_, can_requirement_, can_correspondence_, can_element_, can_trace_,
      can_evidence_;
};

class StandardsIndex {
 public:
  explicit StandardsIndex(records::Engine& engine);

  records::Engine& engine() const { return engine_; }

  // The index as of now: applies the changes committed since the last call
  // (reloading everything when there are very many). Thread-safe; readers of
  // an older snapshot are not disturbed.
  Result<std::shared_ptr<const StandardsSnapshot>> Current();

  // Current() seen by `actor`.
  Result<SnapshotView> View(const records::Actor& actor);

 private:
  Status LoadAll(StandardsSnapshot& into, int64_t& seen_seq);
  // Re-reads one record into `into` (or drops it when archived or gone).
  Status Reload(StandardsSnapshot& into, const std::string& type, int64_t id);

  records::Engine& engine_;
  std::mutex mu_;  // serializes refreshes
  std::shared_ptr<const StandardsSnapshot> snapshot_;
  int64_t seen_seq_ = 0;
};

}  // namespace tandem::domains
