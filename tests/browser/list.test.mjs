// Filtering a list and exporting it as CSV.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { Api, openPage, settled, visit, until, listedNumbers, parseCsv, field, openFilters } from './harness.mjs';

const USER = 'a.khan';

test('a filtered list shows the matching records and exports them as CSV', async () => {
  const api = await Api.login(USER);
  const all = (await api.list('incidents')).map((r) => r.number);
  const high = (await api.list('incidents', { 'filter[impact]': 'high' })).map((r) => r.number);
  // The filter must make a difference for this test to mean anything.
  assert.ok(high.length > 0 && high.length < all.length, `demo data: ${high.length} of ${all.length} incidents have high impact`);

  const page = await openPage({ user: USER });
  try {
    await visit(page, '/r/incidents');
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent().then((t) => t.trim()), 'Incidents');
    const unfiltered = await listedNumbers(page);
    assert.ok(unfiltered.length > 0);
    for (const n of unfiltered) assert.ok(all.includes(n), `${n} is an incident the user may read`);

    const form = page.getByRole('search');
    // Nothing was submitted yet: no control is marked invalid.
    const invalid = await form.locator('[aria-invalid="true"]').evaluateAll((els) => els.map((e) => e.name));
    assert.deepEqual(invalid, [], 'controls marked aria-invalid on a fresh list page');
    await openFilters(page);
    await field(form, 'Impact').and(page.locator('[name="filter[impact]"]')).selectOption('high');
    await form.getByRole('button', { name: 'Apply', exact: true }).click();
    await until(async () => new URL(page.url()).searchParams.get('filter[impact]') === 'high',
      () => `the URL carries the filter (now ${page.url()})`);
    await until(async () => {
      const shown = await listedNumbers(page);
      return shown.length === high.length && shown.every((n) => high.includes(n));
    }, async () => `listed ${JSON.stringify(await listedNumbers(page))}, expected ${JSON.stringify(high)}`);
    await settled(page, 'incidents filtered by impact');

    // The export carries the same query and holds exactly the filtered records.
    const exportLink = page.getByRole('link', { name: 'Export CSV', exact: true });
    const href = new URL(await exportLink.getAttribute('href'), page.url());
    assert.equal(href.pathname, '/r/incidents.csv');
    assert.equal(href.searchParams.get('filter[impact]'), 'high');
    const [download] = await Promise.all([page.waitForEvent('download'), exportLink.click()]);
    const rows = parseCsv(await readFile(await download.path(), 'utf8')).filter((r) => r.some((c) => c !== ''));
    const header = rows[0].map((h) => h.trim().toLowerCase());
    const col = header.indexOf('number');
    assert.ok(col >= 0, `the CSV header names the number column: ${rows[0].join(',')}`);
    const exported = rows.slice(1).map((r) => r[col]);
    assert.deepEqual([...exported].sort(), [...high].sort(), 'the CSV holds exactly the filtered records');
    const impactCol = header.indexOf('impact');
    if (impactCol >= 0) for (const r of rows.slice(1)) assert.match(r[impactCol], /high/i);
  } finally {
    await page.dispose();
  }
});

test('the search box of a list narrows it to matching records', async () => {
  const api = await Api.login(USER);
  const page = await openPage({ user: USER });
  try {
    await visit(page, '/r/risks');
    const form = page.getByRole('search');
    await form.getByLabel('Search', { exact: true }).fill('ransomware');
    await form.getByRole('button', { name: 'Apply', exact: true }).click();
    await until(async () => new URL(page.url()).searchParams.get('q') === 'ransomware', 'the URL carries q');
    await page.locator('#results').waitFor();
    await settled(page, 'risks searched');
    const shown = await listedNumbers(page);
    const all = await api.list('risks');
    const matching = all.filter((r) => JSON.stringify(r).toLowerCase().includes('ransomware')).map((r) => r.number);
    assert.ok(shown.length > 0, 'the demo has a ransomware risk');
    assert.ok(shown.length < all.length, 'the search narrows the list');
    for (const n of shown) assert.ok(matching.includes(n), `${n} mentions ransomware`);
  } finally {
    await page.dispose();
  }
});
