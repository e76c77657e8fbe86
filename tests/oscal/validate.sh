#!/bin/sh
# Writes OSCAL documents with Tandem's writers and validates each against the
# NIST OSCAL 1.2.1 JSON schemas with ajv. Fails if any document is invalid,
# if an expected document is missing, or if ajv accepts a document broken on
# purpose (so a validator that passes everything cannot go unnoticed).
#   validate.sh WRITER AJV SCHEMA_DIR OUTPUT_DIR
set -eu
writer=$1 ajv=$2 schemas=$3 out=$4

if [ ! -x "$ajv" ]; then
  echo "ajv not found at $ajv: run ./dev deps (npm ci) first" >&2
  exit 1
fi
rm -rf "$out"
"$writer" "$out"

for f in catalog-small.json catalog-nist-sp800-53.json catalog-iso27001-2013.json mapping-small.json \
    catalog-api-iso27001-2022.json mapping-api-iso27001-2013-iso20000-1-2011.json \
    ssp-small.json ssp-api-iso27001-2022-rev1.json ssp-api-iso27001-2022-rev2.json; do
  [ -f "$out/$f" ] || { echo "missing $out/$f" >&2; exit 1; }
done

validate() {  # schema file, document
  "$ajv" validate --spec=draft7 -c ajv-formats --strict=false --all-errors \
    -s "$schemas/$1" -d "$2"
}

status=0
for f in "$out"/catalog-*.json; do
  validate oscal_catalog_schema.json "$f" || status=1
done
for f in "$out"/mapping-*.json; do
  validate oscal_mapping_schema.json "$f" || status=1
done
for f in "$out"/ssp-*.json; do
  validate oscal_ssp_schema.json "$f" || status=1
done

# Negative control: an id that is not a token (a leading digit; checking it
# needs the schema's Unicode pattern) and a missing required version.
node -e '
  const fs = require("fs");
  const doc = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
  doc.catalog.controls[0].id = "4.1";
  delete doc.catalog.metadata.version;
  fs.writeFileSync(process.argv[2], JSON.stringify(doc));
' "$out/catalog-small.json" "$out/broken.json"
if validate oscal_catalog_schema.json "$out/broken.json" >/dev/null 2>&1; then
  echo "ajv accepted a broken catalog: the validation is not working" >&2
  status=1
fi

# The same for plans, one fault each: a control-id that is not a token, a
# component state outside OSCAL's list, no import-profile (required).
for fault in token state profile; do
  node -e '
    const fs = require("fs");
    const doc = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
    const ssp = doc["system-security-plan"];
    if (process.argv[3] === "token")
      ssp["control-implementation"]["implemented-requirements"][0]["control-id"] = "5.1";
    if (process.argv[3] === "state") ssp["system-implementation"].components[0].status.state = "retired";
    if (process.argv[3] === "profile") delete ssp["import-profile"];
    fs.writeFileSync(process.argv[2], JSON.stringify(doc));
  ' "$out/ssp-api-iso27001-2022-rev1.json" "$out/broken-ssp-$fault.json" "$fault"
  if validate oscal_ssp_schema.json "$out/broken-ssp-$fault.json" >/dev/null 2>&1; then
    echo "ajv accepted a broken system security plan ($fault): the validation is not working" >&2
    status=1
  fi
done
exit $status
