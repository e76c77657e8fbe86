// Two people edit one record: the second to save sees the differences, keeps
// what they typed, and may save it over the newer version.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Api, openPage, settled, visit, until, checkBothWidths, field } from './harness.mjs';

test('an edit conflict shows both versions and "Save my version" saves the typed one', async () => {
  const owner = await Api.login('a.khan');
  const risk = await owner.post('/risks', {
    title: 'Conflict test: laptop theft from car',
    domain: 'security',
    likelihood: 2,
    impact: 3,
    description: 'Original description',
  });
  const page = await openPage({ user: 'a.khan' });
  try {
    await visit(page, `/r/risks/${risk.number}/edit`);
    await field(page, 'Title').fill('Conflict test: laptop theft (browser version)');
    await field(page, 'Description').fill('Typed in the browser <b>not bold</b>');

    // Meanwhile someone else saves the record.
    const other = await Api.login('t.walsh');
    await other.patch(`/risks/${risk.number}`, { title: 'Conflict test: laptop theft (saved meanwhile)' }, risk.version);

    const response = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes(`/r/risks/${risk.number}`));
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    assert.equal((await response).status(), 409);
    await page.getByRole('heading', { level: 2, name: 'Someone else saved this record first' }).waitFor();
    await settled(page, 'edit conflict');

    const table = page.locator('table').filter({ has: page.locator('caption', { hasText: 'Differences' }) });
    assert.equal(await table.count(), 1, 'a table captioned "Differences"');
    const headers = (await table.getByRole('columnheader').allTextContents()).map((h) => h.trim());
    for (const h of ['Field', 'Your version', 'Saved version']) assert.ok(headers.includes(h), `column "${h}" in ${JSON.stringify(headers)}`);
    const titleRow = table.locator('tr').filter({ hasText: 'saved meanwhile' });
    assert.equal(await titleRow.count(), 1, 'the title differs');
    const rowText = await titleRow.textContent();
    assert.match(rowText, /browser version/);
    assert.match(rowText, /Title/);
    const descRow = table.locator('tr').filter({ hasText: 'Typed in the browser' });
    assert.equal(await descRow.count(), 1, 'the description differs');
    assert.match(await descRow.textContent(), /Original description/);
    // The typed text is shown as text, not markup.
    assert.equal(await table.locator('b').count(), 0);

    // The form still holds what was typed.
    assert.equal(await field(page, 'Title').inputValue(), 'Conflict test: laptop theft (browser version)');
    assert.equal(await field(page, 'Description').inputValue(), 'Typed in the browser <b>not bold</b>');
    const discard = page.getByRole('link', { name: 'Discard my changes', exact: true });
    assert.equal(new URL(await discard.getAttribute('href'), page.url()).pathname, `/r/risks/${risk.number}`);

    await checkBothWidths(page, 'edit-conflict');

    await page.getByRole('button', { name: 'Save my version', exact: true }).click();
    await page.waitForURL((u) => u.pathname === `/r/risks/${risk.number}`);
    await settled(page, 'risk after "Save my version"');
    const saved = await owner.get(`/risks/${risk.number}`);
    assert.equal(saved.title, 'Conflict test: laptop theft (browser version)');
    assert.equal(saved.description, 'Typed in the browser <b>not bold</b>');
    assert.equal(saved.version, risk.version + 2, 'saved over the version saved meanwhile');
    await until(async () => /browser version/.test(await page.getByRole('heading', { level: 1 }).textContent()),
      'the record page shows the saved title');
  } finally {
    await page.dispose();
  }
});
