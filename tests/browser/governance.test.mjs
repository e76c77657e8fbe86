// Running the management system in the browser, on the demo organization:
// an auditor makes an audit's checklist and reads the report; top management
// reads a management review's input pack and approves a document version,
// after which the old one is superseded and kept; a reader acknowledges the
// version in force. The printed reports are PDFs whose text is read back
// with pdftotext.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Api, openPage, settled, visit, until } from './harness.mjs';

const main = (page) => page.locator('main');

// The text of the PDF at `url`, fetched with the page's session, with runs of
// white space (line breaks of the layout included) as single spaces.
async function pdfText(page, url) {
  const res = await page.request.get(url);
  assert.equal(res.status(), 200, `GET ${url}`);
  assert.equal(res.headers()['content-type'], 'application/pdf');
  assert.match(res.headers()['content-disposition'], /^attachment; filename="[^"]+\.pdf"/);
  const dir = mkdtempSync(path.join(tmpdir(), 'tandem-pdf-'));
  try {
    const file = path.join(dir, 'report.pdf');
    writeFileSync(file, await res.body());
    return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('an auditor makes the checklist of a planned audit and prints its report', async () => {
  const api = await Api.login('r.lowe');
  const page = await openPage({ user: 'r.lowe' });
  try {
    const audit = await api.get('/audits/AUD-000002');
    assert.equal(audit.state, 'planned');
    assert.equal((await api.get('/audit-checks?filter[audit]=2')).items.length, 0);
    await visit(page, '/r/audits/AUD-000002');
    assert.match(await main(page).textContent(), /No checklist yet/);
    await page.getByRole('button', { name: 'Make the checklist', exact: true }).click();
    await until(async () => /requirements: 0 conforming/.test(await main(page).textContent()),
      'the page shows the checklist');
    await settled(page, 'audit with its checklist');
    const checks = await api.list('audit-checks', { 'filter[audit]': '2' });
    assert.ok(checks.length >= 5, `a checklist item per requirement in scope (${checks.length})`);
    const text = await main(page).textContent();
    assert.match(text, new RegExp(`${checks.length} requirements: 0 conforming, 0 with a finding, ${checks.length} not checked yet`));
    // Each item links to its record, which says what claims the requirement.
    const table = page.getByRole('table', { name: 'Checklist' });
    assert.equal(await table.locator('tbody tr').count(), checks.length);
    await table.getByRole('link', { name: /A\.5\.19/ }).click();
    await page.waitForURL((u) => /^\/r\/audit-checks\/CHK-\d{6}$/.test(u.pathname));
    await settled(page, 'checklist item');
    assert.match(await main(page).textContent(), /Claimed by/);

    // Making it again adds nothing.
    await visit(page, '/r/audits/AUD-000002');
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/governance/audits/AUD-000002/checklist')),
      page.getByRole('button', { name: 'Add what is missing', exact: true }).click(),
    ]);
    assert.equal((await api.list('audit-checks', { 'filter[audit]': '2' })).length, checks.length);

    await visit(page, '/r/audits/AUD-000002');
    const report = page.getByRole('link', { name: 'Audit report', exact: true });
    assert.equal(await report.getAttribute('href'), '/governance/audits/AUD-000002/report');
    await visit(page, '/governance/audits/AUD-000002/report');
    assert.match(await page.getByRole('heading', { level: 1 }).textContent(),
      /Audit report: Supplier management/);
    const pdf = await pdfText(page, '/governance/audits/AUD-000002/report?format=pdf');
    assert.match(pdf, /Audit report: Supplier management/);
    assert.match(pdf, /Requirements checked \d+/);
    assert.match(pdf, /A\.5\.19/);
    assert.match(pdf, /Page 1 of \d+/);
  } finally {
    await page.dispose();
  }
});

test('top management reads the live and the frozen review packs, on screen and printed', async () => {
  const page = await openPage({ user: 'd.mercer' });
  try {
    const api = page.api;
    const [closed, planned] = [await api.get('/management-reviews/MR-000001'),
      await api.get('/management-reviews/MR-000002')];
    assert.equal(closed.state, 'closed');
    assert.equal(planned.state, 'planned');

    await visit(page, '/r/management-reviews/MR-000002');
    const live = await main(page).textContent();
    assert.match(live, /compiled from the live records of the period/);
    const pack = await api.get('/management-reviews/MR-000002/pack');
    assert.ok(pack.missing.length > 0, 'the demo has inputs without data yet');
    for (const m of pack.missing) assert.ok(live.includes(m.input), `missing input named: ${m.input}`);
    await page.getByRole('link', { name: 'Read the input pack', exact: true }).click();
    await page.waitForURL((u) => u.pathname === '/governance/reviews/MR-000002/pack');
    await settled(page, 'review pack');
    for (const s of pack.sections)
      assert.ok(await page.getByRole('heading', { name: s.title, exact: true }).count(),
        `section ${s.key} shown`);
    const pdf = await pdfText(page, '/governance/reviews/MR-000002/pack?format=pdf');
    assert.match(pdf, /Management review: Management review, second half 2026/);
    assert.match(pdf, /Inputs without data/);
    assert.match(pdf, /Status of actions from previous management reviews/);
    assert.match(pdf, /Frozen no: live figures of the records/);

    await visit(page, '/r/management-reviews/MR-000001');
    assert.match(await main(page).textContent(), /The pack was frozen when the review closed, at 20\d\d-/);
    const frozen = await pdfText(page, '/governance/reviews/MR-000001/pack?format=pdf');
    assert.match(frozen, /Frozen 20\d\d-\d\d-\d\dT/);
  } finally {
    await page.dispose();
  }
});

test('a document version is approved by someone other than its author; the old one is kept as superseded', async () => {
  const page = await openPage({ user: 'd.mercer' });
  try {
    const api = page.api;
    const doc = await api.get('/documents/DOC-000006');
    assert.equal(doc.doc_version, '3.1');
    const next = await api.get('/document-versions/DOV-000010');
    assert.equal(next.state, 'in_review');
    assert.notEqual(next.author, 'd.mercer');

    // While 3.2 is in review, 3.1 is in force.
    await visit(page, '/r/documents/DOC-000006');
    const versions = page.getByRole('table', { name: 'Versions' });
    assert.match(await versions.locator('tr', { hasText: 'DOV-000006' }).textContent(), /Approved\s*in force/i);
    assert.match(await versions.locator('tr', { hasText: 'DOV-000010' }).textContent(), /In review/i);

    await visit(page, '/r/document-versions/DOV-000010');
    // The form's answer (a redirect to the record) ends the navigation
    // before the next one starts.
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/r/document-versions/DOV-000010'
        && !u.search.includes('transition'), { waitUntil: 'load' }),
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: 'approve', exact: true }).click(),
    ]);
    await until(async () => /State:\s*approved/i.test(await main(page).textContent()),
      'the page shows the version approved');
    assert.equal((await api.get('/document-versions/DOV-000010')).state, 'approved');
    const after = await api.get('/documents/DOC-000006');
    assert.equal(after.doc_version, '3.2');
    assert.equal(after.state, 'in_force');
    assert.equal((await api.get('/document-versions/DOV-000006')).state, 'superseded');

    await visit(page, '/r/documents/DOC-000006');
    const rows = page.getByRole('table', { name: 'Versions' });
    assert.match(await rows.locator('tr', { hasText: 'DOV-000010' }).textContent(), /in force/i);
    assert.match(await rows.locator('tr', { hasText: 'DOV-000006' }).textContent(), /Superseded/i);
    assert.doesNotMatch(await rows.locator('tr', { hasText: 'DOV-000006' }).textContent(), /in force/i);
  } finally {
    await page.dispose();
  }
});

test('a reader acknowledges the version in force of a document distributed to them', async () => {
  const page = await openPage({ user: 'm.board' });
  try {
    const api = page.api;
    const before = await api.get('/documents/DOC-000005/acknowledgements');
    assert.equal(before.requires_acknowledgement, true);
    assert.ok(!before.acknowledged.some((a) => a.reader === 'm.board'));
    await visit(page, `/r/document-versions/${before.version}`);
    await page.getByRole('button', { name: 'I have read and understood this version', exact: true }).click();
    await until(async () => /You acknowledged this version at/.test(await main(page).textContent()),
      'the page confirms the acknowledgement');
    await settled(page, 'acknowledged version');
    const after = await api.get('/documents/DOC-000005/acknowledgements');
    assert.equal(after.acknowledged.length, before.acknowledged.length + 1);
    assert.ok(after.acknowledged.some((a) => a.reader === 'm.board'));
    assert.ok(!after.outstanding.some((o) => o.username === 'm.board'));
  } finally {
    await page.dispose();
  }
});
