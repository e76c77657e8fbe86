// The OpenAPI document must be true: every answer the API test files got
// (one FILE.jsonl per file, written by the runner) is checked against the
// openapi.json the server served, with Ajv (JSON Schema 2020-12, as OpenAPI
// 3.1 uses). A status the operation does not list, a JSON media type it does
// not name, or a body its schema refuses is a mismatch; any mismatch fails.
// Requests to routes the document does not have (wrong methods, unknown
// paths, probes) must still answer a problem+json the Problem schema accepts.
//
//   node openapi_check.mjs DIR
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node openapi_check.mjs DIR');
  process.exit(2);
}
const doc = JSON.parse(readFileSync(path.join(dir, 'openapi.json'), 'utf8'));
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ $id: 'openapi.json', components: doc.components });
// Schemas inside operations refer to "#/components/...": make that the document.
const anchored = (schema) =>
  JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"openapi.json#/components/'));

const routes = Object.entries(doc.paths).map(([template, item]) => ({
  template,
  item,
  re: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
}));
const validators = new Map();
function validator(key, schema) {
  if (!validators.has(key)) validators.set(key, ajv.compile(anchored(schema)));
  return validators.get(key);
}
const resolve = (response) =>
  response?.$ref ? doc.components.responses[response.$ref.split('/').pop()] : response;

let answers = 0;
let checked = 0;
const mismatches = [];
const files = readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort();
if (files.length === 0) {
  console.error(`no answers in ${dir}: run the API test files first`);
  process.exit(1);
}
for (const file of files) {
  for (const line of readFileSync(path.join(dir, file), 'utf8').split('\n')) {
    if (!line) continue;
    const r = JSON.parse(line);
    const where = `${r.where} -> ${r.status}`;
    const urlPath = r.path.split('?')[0];
    const type = (r.type || '').split(';')[0].trim();
    ++answers;
    if (!urlPath.startsWith('/api/')) continue; // the web UI's pages
    const route = routes.find((x) => x.re.test(urlPath));
    const op = route?.item[r.method.toLowerCase()];
    let schema;
    let key;
    if (!op) {
      if (r.method === 'OPTIONS' && r.status === 204) continue;
      if (type !== 'application/problem+json') {
        mismatches.push(`${where}: no operation, and the answer is not problem+json`);
        continue;
      }
      schema = { $ref: '#/components/schemas/Problem' };
      key = 'Problem';
    } else {
      const response = resolve(op.responses?.[String(r.status)] ?? op.responses?.default);
      if (!response) {
        mismatches.push(`${where}: ${r.method} ${route.template} does not list status ${r.status}`);
        continue;
      }
      if (!response.content) continue; // no body documented (204, redirects)
      const media = response.content[type];
      if (!media) {
        if (type.endsWith('json'))
          mismatches.push(`${where}: ${type} is not a documented media type of status ${r.status}`);
        continue;
      }
      if (!media.schema) continue;
      schema = media.schema;
      key = `${r.method} ${route.template} ${r.status} ${type}`;
    }
    if (r.body === null) {
      if (type.endsWith('json')) mismatches.push(`${where}: the body is not JSON`);
      continue;
    }
    const validate = validator(key, schema);
    ++checked;
    if (!validate(r.body)) {
      const why = validate.errors
        .slice(0, 3)
        .map((e) => `${e.instancePath || '(body)'} ${e.message} ${JSON.stringify(e.params)}`)
        .join('; ');
      mismatches.push(`${where}: ${why}`);
    }
  }
}
console.log(`${answers} answers in ${files.length} files; ${checked} bodies checked against the OpenAPI document`);
for (const m of mismatches) console.log(`MISMATCH ${m}`);
if (mismatches.length) {
  console.log(`${mismatches.length} answers do not match the OpenAPI document`);
  process.exit(1);
}
