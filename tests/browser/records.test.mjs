// A record's life in the browser: create (and a refused create), edit,
// transition, link, archive and restore, as the ISMS manager.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Api, openPage, settled, visit, pathOf, until, listedNumbers, assertNoProblems, field, openFilters,
} from './harness.mjs';

const USER = 'a.khan';
// The part of the page under the h2 `name`: its <section>, or else the whole main.
const section = (page, name) => {
  const s = page.locator('section').filter({ has: page.getByRole('heading', { level: 2, name, exact: true }) }).last();
  return s.or(page.locator('main')).last();
};

test('a record is created, edited, moved on, linked, archived and restored', async () => {
  const api = await Api.login(USER);
  const page = await openPage({ user: USER });
  try {
    // --- create -------------------------------------------------------------
    await visit(page, '/r/incidents');
    await page.getByRole('link', { name: 'New Incident', exact: true }).click();
    await page.waitForURL((u) => u.pathname === '/r/incidents/new');
    await settled(page, 'new incident form');
    await field(page, 'Title').fill('Browser test: phishing mail reported by finance');
    await field(page, 'Kind').selectOption('security_event');
    await field(page, 'Handled under').selectOption('isms');
    await field(page, 'Impact').selectOption('medium');
    await field(page, 'Urgency').selectOption('high');
    await field(page, 'Description').fill('Two users forwarded the mail.\nNo clicks reported.');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.waitForURL((u) => /^\/r\/incidents\/INC-\d{6}$/.test(u.pathname));
    const number = pathOf(page).split('/').pop();
    await settled(page, 'new incident record page');
    const h1 = await page.getByRole('heading', { level: 1 }).textContent();
    assert.match(h1, new RegExp(number));
    assert.match(h1, /Browser test: phishing mail reported by finance/);
    let rec = await api.get(`/incidents/${number}`);
    assert.equal(rec.title, 'Browser test: phishing mail reported by finance');
    assert.equal(rec.kind, 'security_event');
    assert.equal(rec.classification, 'isms');
    assert.equal(rec.impact, 'medium');
    assert.equal(rec.urgency, 'high');
    assert.equal(rec.description, 'Two users forwarded the mail.\nNo clicks reported.');
    assert.equal(rec.state, 'new');
    const fields = await page.locator('dl').first().textContent();
    assert.match(fields, /No clicks reported\./);
    await until(async () => /State:\s*new\b/i.test(await page.locator('main').textContent()), 'the page shows "State: new"');

    // --- edit ---------------------------------------------------------------
    await page.getByRole('link', { name: 'Edit', exact: true }).click();
    await page.waitForURL((u) => u.pathname === `/r/incidents/${number}/edit`);
    await settled(page, 'edit incident form');
    const title = field(page, 'Title');
    assert.equal(await title.inputValue(), rec.title, 'the edit form is filled in');
    assert.equal(await field(page, 'Urgency').inputValue(), 'high');
    assert.equal(await page.locator('input[type=hidden][name=version]').inputValue(), String(rec.version));
    await title.fill('Browser test: phishing mail reported by finance and HR');
    await field(page, 'Impact').selectOption('low');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForURL((u) => u.pathname === `/r/incidents/${number}`);
    await settled(page, 'incident after edit');
    assert.match(await page.getByRole('heading', { level: 1 }).textContent(), /finance and HR/);
    rec = await api.get(`/incidents/${number}`);
    assert.equal(rec.title, 'Browser test: phishing mail reported by finance and HR');
    assert.equal(rec.impact, 'low');
    assert.equal(rec.urgency, 'high', 'an unchanged field keeps its value');
    assert.equal(rec.version, 2);

    // --- transition -----------------------------------------------------------
    const workflow = section(page, 'Workflow');
    const allowed = (await api.get(`/incidents/${number}/transitions`)).transitions.map((t) => t.name);
    for (const name of allowed)
      assert.ok(await workflow.getByRole('button', { name, exact: true }).isVisible(), `button "${name}" in Workflow`);
    await workflow.getByRole('button', { name: 'start', exact: true }).click();
    await until(
      async () => /State:\s*in[_ ]progress/i.test(await page.locator('main').textContent()),
      'the page shows "State: in_progress" after "start"',
    );
    await settled(page, 'incident after start');
    rec = await api.get(`/incidents/${number}`);
    assert.equal(rec.state, 'in_progress');
    const nowAllowed = (await api.get(`/incidents/${number}/transitions`)).transitions.map((t) => t.name);
    const shown = await section(page, 'Workflow').getByRole('button').allTextContents();
    assert.deepEqual(
      shown.map((s) => s.trim()).filter((s) => s !== 'Archive' && s !== 'Restore').sort(),
      [...nowAllowed].sort(),
      'the Workflow buttons are the allowed transitions',
    );

    // --- link ---------------------------------------------------------------
    const [service] = await api.list('services');
    const links = section(page, 'Links');
    await field(links, 'Relation').selectOption('affects');
    await field(links, 'Target record').fill(service.number);
    await field(links, 'Note').fill('Mail gateway of this service');
    await links.getByRole('button', { name: 'Add link', exact: true }).click();
    const linkRow = section(page, 'Links').locator('table tr').filter({ hasText: service.number });
    await linkRow.waitFor();
    await settled(page, 'incident with a link');
    assert.match(await linkRow.textContent(), /Mail gateway of this service/);
    assert.equal(await linkRow.getByRole('link', { name: new RegExp(service.number) }).getAttribute('href'),
      `/r/services/${service.number}`);
    let apiLinks = await api.get(`/incidents/${number}/links`);
    const list = apiLinks.items ?? apiLinks;
    assert.equal(list.length, 1);
    assert.equal(list[0].relation, 'affects');
    await linkRow.getByRole('button', { name: /^Remove\b/ }).click();
    await until(async () => (await section(page, 'Links').locator('table tr').filter({ hasText: service.number }).count()) === 0,
      'the removed link disappears');
    apiLinks = await api.get(`/incidents/${number}/links`);
    assert.equal((apiLinks.items ?? apiLinks).length, 0);

    // --- history ----------------------------------------------------------------
    const history = await api.get(`/incidents/${number}/history`);
    const events = history.items ?? history;
    const shownEvents = await section(page, 'History').locator('ol > li').count();
    assert.equal(shownEvents, events.length, 'one History entry per audit event');

    // --- archive and restore -----------------------------------------------------
    await section(page, 'Workflow').getByRole('button', { name: 'Archive', exact: true }).click();
    await page.getByRole('button', { name: 'Restore', exact: true }).waitFor();
    await settled(page, 'archived incident');
    assert.equal((await api.get(`/incidents/${number}`)).archived, true);
    await visit(page, '/r/incidents');
    assert.ok(!(await listedNumbers(page)).includes(number), 'an archived record leaves the list');
    await openFilters(page);
    await page.getByRole('checkbox', { name: 'Include archived', exact: true }).check();
    await page.getByRole('button', { name: 'Apply', exact: true }).click();
    await until(async () => (await listedNumbers(page)).includes(number), 'with "Include archived" it is listed');
    await settled(page, 'list including archived');
    await visit(page, `/r/incidents/${number}`);
    await page.getByRole('button', { name: 'Restore', exact: true }).click();
    await page.getByRole('button', { name: 'Archive', exact: true }).waitFor();
    assert.equal((await api.get(`/incidents/${number}`)).archived, false);
    assertNoProblems(page);
  } finally {
    await page.dispose();
  }
});

test('a refused create shows the errors beside the fields and keeps the input', async () => {
  const page = await openPage({ user: USER });
  try {
    await visit(page, '/r/risks/new');
    // The server's validation, not the browser's, is under test.
    await page.locator('form').filter({ has: page.getByRole('button', { name: 'Create' }) })
      .evaluate((f) => { f.noValidate = true; });
    await field(page, 'Title').fill('');
    await field(page, 'Description').fill('Kept after the refusal');
    const response = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/r/risks');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    assert.equal((await response).status(), 422);
    const summary = page.getByRole('alert').first();
    await summary.waitFor();
    const title = field(page, 'Title');
    await until(async () => (await title.getAttribute('aria-invalid')) === 'true', 'Title gets aria-invalid="true"');
    assert.ok((await title.getAttribute('aria-describedby') || '').split(/\s+/).includes('title-error'),
      'Title is described by #title-error');
    assert.ok((await page.locator('#title-error').textContent()).trim().length > 0, '#title-error says what is wrong');
    assert.equal(await field(page, 'Description').inputValue(), 'Kept after the refusal');
    await settled(page, 'refused create');
  } finally {
    await page.dispose();
  }
});
