// Catalogs in and out: a standard's entries (clauses, controls, ...) read
// from a CSV file or an OSCAL catalog, and written as an OSCAL 1.2.1 catalog
// or mapping collection. Pure functions: no database, no clock, no I/O, so
// the same input always gives the same output (exports diff cleanly).
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace tandem::domains {

// Limits that every reader enforces, in characters (UTF-8 code points).
inline constexpr size_t kMaxCatalogRef = 64;
inline constexpr size_t kMaxCatalogTitle = 300;
// How deep entries may nest (a top-level entry is at depth 1). Real catalogs
// have a handful of levels; the limit keeps hostile input from exhausting
// the stack of anything that walks the tree.
inline constexpr size_t kMaxCatalogDepth = 32;

// The namespace of the props Tandem adds to OSCAL documents (the catalog
// key, the untitled marker, a correspondence's qualifiers, origin and
// authority).
inline constexpr char kTandemOscalNs[] = "urn:tandem:oscal";

struct CatalogEntry {
  std::string ref;         // as printed/labelled: "A.12.3", "AC-2", "AC-2(1)"
  std::string title;       // may be empty (a numbered paragraph without a title)
  std::string parent_ref;  // "" at the top level
  // clause, item, domain, objective, theme, control, group, enhancement or other.
  std::string kind;
  bool withdrawn = false;

  bool operator==(const CatalogEntry&) const = default;
};

struct Catalog {
  std::string key;  // stable identifier, e.g. "iso27001:2013" or "nist-sp800-53:5.0.1"
  std::string title;
  std::string version;  // edition
  std::string publisher;
  // Document order: each entry is followed by its descendants (pre-order),
  // siblings in the order of the source, so every parent comes before its
  // children. Refs are unique.
  std::vector<CatalogEntry> entries;
};

// True for the kinds listed on CatalogEntry::kind.
bool IsCatalogKind(std::string_view kind);

// A CSV catalog: a header row naming at least `ref` and `title`, optionally
// `parent` and `kind` (any order, any case; other columns are ignored), then
// one entry per row. Fields are trimmed. A parent may appear anywhere in the
// file; entries come back in document order (see Catalog::entries). A kind
// left empty is "group" for an entry with children and "control" for a leaf;
// the built-in catalogs' "annex-domain", "annex-objective" and "annex-theme"
// read as domain, objective and theme.
//
// Errors: ParseCsv's kBadRequest for broken quoting; kValidation for an empty
// file, a header without ref or title (or naming one twice), no entries, and
// for bad rows. Every bad row is reported, not only the first: the detail
// says how many rows are bad and each field error is keyed "line N" (the
// row's first line in the file) with one of: missing ref, duplicate ref
// (naming the line of the first), unknown parent, parent cycle, unknown kind,
// ref longer than kMaxCatalogRef or title longer than kMaxCatalogTitle, a
// line break in ref or title, text that is not UTF-8, more fields than the
// header, nesting deeper than kMaxCatalogDepth (reported on the first row too
// deep). Key, title, version and publisher of the result are empty: a CSV
// file does not carry them, the caller sets them.
Result<Catalog> ParseCsvCatalog(std::string_view text);

// An OSCAL 1.x catalog document (JSON), e.g. NIST SP 800-53 rev 5. Reads
// groups (nested), controls in groups and at the top, and controls nested in
// controls. For each: ref is the first "label" prop (one without a class
// preferred), else the id ("ac" for NIST's families); title as is; a "status"
// prop valued "withdrawn" sets withdrawn. Kind is the entry's `class` when
// that names a catalog kind (as ToOscalCatalog writes it), else "group" for a
// group, "control" for a control in a group or at the top and "enhancement"
// for a control inside a control. Parts, params and links are not read.
//
// Metadata: title and version as given; publisher is the name of the party
// holding the "publisher" role in responsible-parties ("" when none does:
// NIST's file names only a creator and a contact). The key is the
// kTandemOscalNs "catalog-key" prop of metadata (ToOscalCatalog writes it);
// otherwise it is derived: the title up to its first ':' (the subtitle
// dropped), lower-cased, each run of other characters than a-z and 0-9
// turned into one '-', at most 48 characters, then ':' and the version, e.g.
// "nist-special-publication-800-53-revision-5:5.0.1".
//
// Errors (nothing partial is returned): kBadRequest for text that is not
// JSON or nests arrays and objects deeper than 100 levels; kValidation when
// there is no "catalog" or no "metadata" object, and for every entry
// without an id (a group may have a label instead) or title, with a wrong
// type, a duplicate ref, a too long ref or title, or nested deeper than
// kMaxCatalogDepth. Each is a field error keyed by its JSON location,
// e.g. "catalog.groups[3].controls[2]" (at most 100 are listed); the detail
// names the first.
Result<Catalog> ParseOscalCatalog(std::string_view text);

// The OSCAL id an entry with `ref` is given, before duplicates are resolved:
// the ref lower-cased, "(" turned into ".", ")" dropped, every run of other
// characters than a-z, 0-9, '.', '-' and '_' into one '_', and a '_' in
// front unless it starts with a letter or '_' (OSCAL's token pattern): "AC-2(1)" -> "ac-2.1" (as
// NIST names it), "A.12.3" -> "a.12.3", "5.1 c)" -> "_5.1_c". When two refs
// give the same id, the later entry (in document order) gets "_2", "_3"...
std::string OscalIdFromRef(std::string_view ref);

// An OSCAL 1.2.1 catalog document {"catalog": {...}}.
//  - An entry becomes a group when its kind is group, it has children, it is
//    not inside a control and, inside a group, all its siblings can be
//    groups too (an OSCAL group holds groups or controls, not both).
//    Everything else is a control, holding its children as controls:
//    clauses, Annex A domains, objectives and themes stay controls so that
//    mappings can name them.
//  - id: OscalIdFromRef; class: the kind; title: the title, or the ref when
//    there is none (OSCAL requires one) with a kTandemOscalNs "untitled"
//    prop so that reading it back gives an empty title again; props: "label"
//    with the ref, "status" "withdrawn" when withdrawn.
//  - uuid: derived from the key and the content (not from last_modified),
//    shaped as an RFC 4122 version 5 UUID but hashed with SHA-256 (the
//    schema accepts versions 4 and 5 only), so unchanged content exports
//    identically.
//  - metadata: title (else the key, else "Untitled catalog"), last-modified,
//    version ("unspecified" when empty), oscal-version "1.2.1", the catalog
//    key as a kTandemOscalNs "catalog-key" prop, and the publisher as an
//    organization party in the "publisher" role.
// `last_modified` must be an RFC 3339 date-time with a time zone, e.g.
// "2026-01-31T12:00:00Z". Top-level controls are written before top-level
// groups (OSCAL's order), so ParseOscalCatalog gives back the same entries in
// the same order whenever no top-level group precedes a top-level control.
// `catalog` is expected to meet the Catalog contract (unique refs, parents
// before children); an entry whose parent is missing is written at the top.
nlohmann::json ToOscalCatalog(const Catalog& catalog, std::string_view last_modified);

struct MappingEntry {
  std::string source_ref, target_ref;  // target_ref empty for "no counterpart" rows
  std::string relationship;            // equal, subset, superset, intersect, no-relationship
  // Part of each side ("a)", "Para. 1"), where the correspondence comes
  // from, a free note, and authority: published, compiled or user.
  std::string source_qualifier, target_qualifier, origin, note, authority;
};

// The mapping collection's own choices, with OSCAL's vocabularies.
struct MappingProvenance {
  std::string method = "human";                 // human, automation or hybrid
  std::string matching_rationale = "semantic";  // syntactic, semantic or functional
  std::string status = "not-complete";  // complete, not-complete, draft, deprecated, superseded
  std::string title;                    // metadata title; empty: "<source title> to <target title>"
  std::string version;                  // metadata version; empty: last_modified
  std::string description;  // mapping-description; empty: a sentence naming both catalogs
};

// An OSCAL 1.2.1 mapping-collection document {"mapping-collection": {...}}
// with one mapping from `source` to `target`, each catalog a back-matter
// resource (title, kTandemOscalNs "catalog-key" and "version" props) that the
// mapping's source-resource and target-resource point to ("#uuid").
//  - Each entry with a target is a map: relationship equal -> "equal-to",
//    subset -> "subset-of", superset -> "superset-of", intersect ->
//    "intersects-with", no-relationship -> "no-relationship" (source relative
//    to target, as in Tandem); one source and one target, type "control",
//    id-ref the id ToOscalCatalog gives the entry; each side's qualifier as a
//    kTandemOscalNs "qualifier" prop on that side; origin and authority as
//    kTandemOscalNs props of the map; the note as its remarks.
//  - Entries without a target (no-relationship, "no counterpart") list their
//    source in the mapping's source-gap-summary, unless the source is mapped
//    elsewhere; their notes go to the mapping's remarks.
//  - UUIDs are derived (see ToOscalCatalog): the collection's from all of its
//    content (the version included, which is last_modified unless given), a
//    mapping's from the two keys, a map's from its two sides.
// Errors (kValidation, field errors keyed "maps[i]", "provenance.<field>" or
// "maps"): a ref not in its
// catalog or written there as a group (a map can only name controls), an
// unknown relationship or authority, a row without target that is not
// no-relationship, bad provenance values, and no map at all (OSCAL requires
// one).
Result<nlohmann::json> ToOscalMappingCollection(const Catalog& source, const Catalog& target,
                                                const std::vector<MappingEntry>& maps,
                                                std::string_view last_modified,
                                                const MappingProvenance& provenance = {});

}  // namespace tandem::domains
