// A session that ends while someone types: the form they send is kept
// through the sign-in page, shown again once signed in, and saved only when
// they send it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Api, PASSWORD, openPage, settled, visit, checkBothWidths, field, assertNoProblems } from './harness.mjs';

test('a form sent after the session ended is kept through sign-in and saved when sent again', async () => {
  const owner = await Api.login('a.khan');
  const incident = await owner.post('/incidents', {
    title: 'Session test: VPN drops for remote staff',
    kind: 'incident',
    classification: 'sms',
    impact: 'medium',
    urgency: 'medium',
  });
  const page = await openPage({ user: 'a.khan' });
  try {
    await visit(page, `/r/incidents/${incident.number}/edit`);
    await field(page, 'Title').fill('Session test: VPN drops (typed before the session ended)');
    await field(page, 'Description').fill('Long notes <script>window.hit=1</script> "quoted"');

    // The session ends on the server, as after 30 idle minutes.
    await page.api.logout();
    const sent = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes(`/r/incidents/${incident.number}`));
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    assert.equal((await sent).status(), 401);
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await page.getByRole('alert').filter({ hasText: 'Your session ended before what you sent was saved' }).waitFor();
    await settled(page, 'sign-in carrying a form');
    await checkBothWidths(page, 'sign-in-carrying-a-form');

    await page.getByLabel('Username', { exact: true }).fill('a.khan');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Send what you entered' }).waitFor();
    await settled(page, 'what was entered, to send again');
    const shown = page.locator('table').filter({ has: page.locator('caption', { hasText: 'What you entered' }) });
    assert.match(await shown.textContent(), /typed before the session ended/);
    assert.match(await shown.textContent(), /<script>window\.hit=1<\/script> "quoted"/, 'shown as text');
    assert.equal(await page.evaluate(() => window.hit), undefined, 'no script ran');
    assert.equal((await owner.get(`/incidents/${incident.number}`)).title, incident.title, 'nothing saved yet');
    await checkBothWidths(page, 'send-what-you-entered');

    await page.getByRole('button', { name: 'Send it', exact: true }).click();
    await page.waitForURL((u) => u.pathname === `/r/incidents/${incident.number}`);
    await settled(page, 'the record after sending again');
    const saved = await owner.get(`/incidents/${incident.number}`);
    assert.equal(saved.title, 'Session test: VPN drops (typed before the session ended)');
    assert.equal(saved.description, 'Long notes <script>window.hit=1</script> "quoted"');
    assert.equal(saved.version, incident.version + 1);
    assertNoProblems(page);
  } finally {
    await page.dispose();
  }
});
