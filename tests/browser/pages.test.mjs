// The main pages: the frame every page shares (navigation, skip link, sign
// out, CSP), each page's headings, and each at 1280 and 390 px (accessibility,
// no horizontal overflow on a phone, screenshots).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { baseUrl, openPage, visit, checkBothWidths, Api } from './harness.mjs';

const NAV = [
  ['Dashboard', '/'],
  ['Records', '/records'],
  ['Search', '/search'],
  ['Standards', '/standards'],
  ['Account', '/account'],
];

// The shared frame of a signed-in page.
async function checkFrame(page, { admin }) {
  const nav = page.getByRole('banner').getByRole('navigation', { name: 'Main' });
  for (const [name, href] of NAV)
    assert.equal(await nav.getByRole('link', { name, exact: true }).getAttribute('href'), href, `nav link ${name}`);
  assert.equal(await nav.getByRole('link', { name: 'Admin', exact: true }).count(), admin ? 1 : 0,
    `the Admin link is there for administrators only (${page.url()})`);
  const signOut = page.getByRole('banner').locator('form[method=post][action="/logout"]');
  assert.equal(await signOut.getByRole('button', { name: 'Sign out', exact: true }).count(), 1);
  assert.equal(await signOut.locator('input[type=hidden][name=csrf_token]').count(), 1, 'the sign-out form carries csrf_token');
  const skip = page.getByRole('link', { name: 'Skip to content', exact: true });
  assert.equal(await skip.getAttribute('href'), '#main');
  assert.equal(await page.locator('main#main').count(), 1);
  // No inline script or style (the CSP would refuse them; the guard reports that too).
  assert.equal(await page.locator('script:not([src]), style, [style]').count(), 0, 'no inline script or style');
}

test('the sign-in page', async () => {
  const page = await openPage();
  try {
    const res = await visit(page, '/login');
    assert.match(res.headers()['content-security-policy'] || '', /default-src 'self'/);
    assert.equal(await page.getByLabel('Username', { exact: true }).count(), 1);
    assert.equal(await page.getByLabel('Password', { exact: true }).getAttribute('type'), 'password');
    // Before sign-in there is no session to hold a CSRF token; the server
    // refuses a sign-in posted from another origin instead.
    assert.equal(await page.locator('form[method=post][action="/login"]').count(), 1);
    await checkBothWidths(page, 'login');
  } finally {
    await page.dispose();
  }
});

test('dashboard, records, a list, a record, search and account for the ISMS manager', async () => {
  const api = await Api.login('a.khan');
  const [incident] = await api.list('incidents', { 'filter[state]': 'in_progress' });
  const page = await openPage({ user: 'a.khan' });
  try {
    const res = await visit(page, '/');
    assert.match(res.headers()['content-security-policy'] || '', /default-src 'self'/, 'pages are served with the CSP');
    await checkFrame(page, { admin: false });
    assert.equal((await page.getByRole('heading', { level: 1 }).textContent()).trim(), 'Dashboard');
    for (const h of ['Information security (ISMS)', 'Service management (SMS)', 'Quality (QMS)']) {
      const s = page.locator('section').filter({ has: page.getByRole('heading', { level: 2, name: h, exact: true }) });
      assert.equal(await s.count(), 1, `a section "${h}"`);
      assert.ok((await s.getByRole('link').count()) > 0, `"${h}" links its figures to lists`);
    }
    await checkBothWidths(page, 'dashboard');

    await visit(page, '/records');
    await checkFrame(page, { admin: false });
    for (const c of ['incidents', 'risks', 'assets', 'changes', 'suppliers'])
      assert.ok((await page.locator(`main a[href="/r/${c}"]`).count()) > 0, `/records links /r/${c}`);

    await visit(page, '/r/incidents');
    await checkFrame(page, { admin: false });
    assert.equal((await page.getByRole('heading', { level: 1 }).textContent()).trim(), 'Incidents');
    await checkBothWidths(page, 'list');

    await visit(page, `/r/incidents/${incident.number}`);
    await checkFrame(page, { admin: false });
    assert.match(await page.getByRole('heading', { level: 1 }).textContent(), new RegExp(incident.number));
    for (const h of ['Workflow', 'Links', 'History'])
      assert.equal(await page.getByRole('heading', { level: 2, name: h, exact: true }).count(), 1, `h2 "${h}"`);
    await checkBothWidths(page, 'record');

    await visit(page, '/search?q=backup');
    await checkFrame(page, { admin: false });
    assert.equal(await page.getByLabel('Search', { exact: true }).first().inputValue(), 'backup');
    assert.ok((await page.getByRole('heading', { level: 2 }).count()) >= 2, 'results grouped by record type');
    await checkBothWidths(page, 'search');

    await visit(page, '/account');
    await checkFrame(page, { admin: false });
    for (const h of ['Change password', 'Two-factor sign-in', 'API tokens'])
      assert.equal(await page.getByRole('heading', { level: 2, name: h, exact: true }).count(), 1, `h2 "${h}"`);
    await checkBothWidths(page, 'account');

    await visit(page, '/standards');
    await checkFrame(page, { admin: false });
  } finally {
    await page.dispose();
  }
});

test('the admin page for the administrator', async () => {
  const page = await openPage({ user: 'admin' });
  try {
    await visit(page, '/admin');
    await checkFrame(page, { admin: true });
    for (const p of ['/admin/users', '/admin/roles', '/admin/groups', '/admin/custom-fields'])
      assert.equal(await page.locator(`main a[href="${p}"]`).count() > 0, true, `/admin links ${p}`);
    await checkBothWidths(page, 'admin');
    await visit(page, '/admin/users');
    assert.ok((await page.locator('main').textContent()).includes('m.board'), 'the users page lists the users');
  } finally {
    await page.dispose();
  }
});

test('the static files are served', async () => {
  const base = await baseUrl();
  for (const [p, type] of [['/static/htmx.min.js', /javascript/], ['/static/app.js', /javascript/], ['/static/app.css', /css/]]) {
    const res = await fetch(base + p);
    assert.equal(res.status, 200, p);
    assert.match(res.headers.get('content-type') || '', type, p);
  }
});
