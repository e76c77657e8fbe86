// HTML escaping: script-injection strings stored through the API in every
// free-text field of several record types are shown as text on their list,
// record, edit and search pages, and nothing they carry runs or becomes markup.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { Api, openPage, visit, assertNoProblems } from './harness.mjs';

// Each holds the marker "xq" and a number so that search finds it and a test
// can tell which one it sees.
const CORPUS = [
  'xq1 <script>window.__xss=1</script>',
  'xq2 "><img src=x onerror="window.__xss=1">',
  "xq3 '><img src=x onerror='window.__xss=1'>",
  'javascript:window.__xss=1 xq4',
  'xq5 <svg onload=window.__xss=1>',
  'xq6 {{7*7}} {{{raw}}} ${7*7} <%= 7*7 %>',
  'xq7 </textarea><script>window.__xss=1</script><textarea>',
  "xq8 ' onmouseover='window.__xss=1' x='",
  'xq9 " onfocus="window.__xss=1" autofocus x="',
  // Direction overrides and isolates (U+202A-202E, U+2066-2069) are refused
  // on input (tests/api/records/errors.test); the marks and invisible
  // characters that remain allowed must still render as text.
  'xq10 \u200Fgnp.exe\u200E \u200B\u200Crtl\u200D \uFEFF zero-width',
  'xq11 <a href="javascript:window.__xss=1">click</a>',
  'xq12 </title></option></select><iframe srcdoc="<script>parent.__xss=1</script>">',
  'xq13 <div hx-get="/logout" hx-trigger="load" hx-on:htmx:load="window.__xss=1">',
  'xq14 &lt;b&gt;entities&lt;/b&gt; &amp; &#60;script&#62;',
  'xq15 <!-- comment --> ]]> <![CDATA[x]]>',
];

// Required non-text fields for creating one record of each chosen type.
const TYPES = {
  incident: { kind: 'incident', classification: 'sms', impact: 'low', urgency: 'low' },
  risk: { domain: 'security', likelihood: 1, impact: 1 },
  asset: { asset_type: 'information' },
  change: { kind: 'normal', risk_level: 'low' },
};

const created = {}; // type -> {collection, fields, records: [{number, payload}]}

// The free-text fields of a type from the OpenAPI document: strings that are
// not enums, dates, users (a pattern) or references.
function textFields(schema) {
  return Object.entries(schema.properties)
    .filter(([name, p]) => {
      const types = [].concat(p.type);
      return name !== 'restricted_to' && types.includes('string') && !p.enum && !p.format && !p.pattern && !p.$ref;
    })
    .map(([name, p]) => ({ name, max: p.maxLength ?? 200 }));
}

before(async () => {
  const api = await Api.login('a.khan');
  const openapi = await api.get('/api/v1/openapi.json');
  const types = await api.get('/types');
  for (const [type, required] of Object.entries(TYPES)) {
    const collection = types.find((t) => t.name === type).collection;
    const fields = textFields(openapi.components.schemas[`${type}_create`]);
    assert.ok(fields.length >= 2, `${type} has text fields: ${fields.map((f) => f.name)}`);
    const custom = (await api.get(`/types/${type}/custom-fields`))
      .filter((c) => c.type === 'text' || c.type === 'long_text');
    const records = [];
    for (const payload of CORPUS) {
      const body = { ...required };
      for (const f of fields) body[f.name] = payload.slice(0, f.max);
      if (custom.length)
        body.custom = Object.fromEntries(custom.map((c) => [c.name, payload.slice(0, c.max_length ?? 40)]));
      const rec = await api.post(`/${collection}`, body);
      records.push({ number: rec.number, payload });
    }
    created[type] = { collection, fields: fields.map((f) => f.name), records };
  }
  // One with a state machine moved on, so the record page shows it in another state.
  await api.post(`/incidents/${created.incident.records[0].number}/transitions`, { name: 'start' });
});

// What the page must not hold: executed payloads, event handler attributes,
// javascript: URLs, elements a payload would have made.
async function assertInert(page) {
  assertNoProblems(page);
  assert.equal(await page.evaluate(() => typeof window.__xss), 'undefined', `window.__xss set on ${page.url()}`);
  const bad = await page.evaluate(() => {
    const found = [];
    for (const el of document.querySelectorAll('*')) {
      for (const a of el.attributes) {
        const n = a.name.toLowerCase();
        if (n.startsWith('on') || n.startsWith('hx-on')) found.push(`<${el.localName} ${a.name}="${a.value}">`);
        if (['href', 'src', 'action', 'formaction', 'xlink:href', 'srcdoc'].includes(n) && /^\s*javascript:/i.test(a.value))
          found.push(`<${el.localName} ${a.name}="${a.value}">`);
        if (n === 'srcdoc') found.push(`<${el.localName} srcdoc>`);
        if (/__xss/.test(a.value) && !['value', 'title', 'aria-label', 'placeholder', 'content'].includes(n) &&
            !(['href', 'action'].includes(n) && /^[/?#]/.test(a.value)))
          found.push(`<${el.localName} ${a.name}="${a.value}">`);
      }
    }
    for (const el of document.querySelectorAll('img[src=x], svg[onload], iframe, main script, [hx-trigger=load]'))
      found.push(`element <${el.localName}> from data`);
    for (const s of document.querySelectorAll('script')) if (!s.src) found.push('inline <script>');
    return found;
  });
  assert.deepEqual(bad, [], `markup from data on ${page.url()}:\n${bad.join('\n')}`);
}

// axe runs on the first page of each kind and type: the others are the same
// template with other data, and axe costs more than a second a page.
const checked = new Set();
function a11yOnce(kind) {
  if (checked.has(kind)) return false;
  checked.add(kind);
  return true;
}

// The page's visible text holds `payload` (whitespace collapsed as in HTML).
async function assertShownAsText(page, payload, where) {
  const norm = (s) => s.replace(/\s+/g, ' ').trim();
  const text = norm(await page.locator('main').innerText());
  assert.ok(text.includes(norm(payload)), `${where}: ${JSON.stringify(payload)} is shown as text on ${page.url()}`);
}

test('list pages show the strings as text', async () => {
  const page = await openPage({ user: 'a.khan' });
  try {
    for (const { collection, records } of Object.values(created)) {
      await visit(page, `/r/${collection}?q=xq`);
      await assertInert(page);
      for (const { payload } of records) await assertShownAsText(page, payload, `list /r/${collection}`);
    }
  } finally {
    await page.dispose();
  }
});

test('record pages show every field as text', { timeout: 300_000 }, async () => {
  const page = await openPage({ user: 'a.khan' });
  try {
    for (const { collection, records } of Object.values(created)) {
      for (const { number, payload } of records) {
        await visit(page, `/r/${collection}/${number}`, { a11y: a11yOnce(`record ${collection}`) });
        await assertInert(page);
        await assertShownAsText(page, payload, `record ${number}`);
        assert.match(await page.getByRole('heading', { level: 1 }).innerText(), new RegExp(number));
      }
    }
  } finally {
    await page.dispose();
  }
});

test('edit forms hold the strings as values', { timeout: 300_000 }, async () => {
  const page = await openPage({ user: 'a.khan' });
  try {
    for (const { collection, fields, records } of Object.values(created)) {
      for (const { number, payload } of records) {
        await visit(page, `/r/${collection}/${number}/edit`, { a11y: a11yOnce(`edit ${collection}`) });
        await assertInert(page);
        for (const name of fields) {
          const input = page.locator(`form [name="${name}"]`);
          assert.equal(await input.count(), 1, `edit ${number}: one control named ${name}`);
          const value = (await input.inputValue()).replace(/\r\n/g, '\n');
          assert.equal(value, payload, `edit ${number}: ${name} holds the stored string`);
        }
      }
    }
  } finally {
    await page.dispose();
  }
});

test('search shows the strings as text', { timeout: 300_000 }, async () => {
  const page = await openPage({ user: 'a.khan' });
  try {
    for (let i = 0; i < CORPUS.length; i++) {
      const word = `xq${i + 1}`;
      await visit(page, `/search?q=${encodeURIComponent(word)}`, { a11y: a11yOnce('search') });
      await assertInert(page);
      const hrefs = await page.locator('main a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      for (const { collection, records } of Object.values(created)) {
        const { number } = records[i];
        assert.ok(hrefs.includes(`/r/${collection}/${number}`), `search ${word} links ${number}`);
      }
      await assertShownAsText(page, CORPUS[i], `search ${word}`);
    }
    // The query itself, echoed into the search box and the page, stays text.
    await visit(page, `/search?q=${encodeURIComponent(CORPUS[1])}`);
    await assertInert(page);
    assert.equal(await page.getByLabel('Search', { exact: true }).first().inputValue(), CORPUS[1]);
  } finally {
    await page.dispose();
  }
});
