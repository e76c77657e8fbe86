// Signing in (with and without a second factor), failures, signing out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Api, baseUrl, createUser, enableMfa, nextTotpStep, openPage, assertNoProblems,
  settled, signInThroughPage, pathOf,
} from './harness.mjs';

test('signing in with a password lands on the dashboard', async () => {
  const page = await openPage();
  try {
    await signInThroughPage(page, 'c.moreau');
    await page.waitForURL((u) => u.pathname === '/');
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    await settled(page, 'dashboard after sign-in');
    // The session is the API's: the same cookie answers /api/v1/auth/me.
    const me = await page.evaluate(() => fetch('/api/v1/auth/me').then((r) => r.json()));
    assert.equal(me.username, 'c.moreau');
  } finally {
    await page.dispose();
  }
});

test('a wrong password is refused with an alert and no session', async () => {
  const page = await openPage();
  try {
    await signInThroughPage(page, 'r.lowe', 'not the password at all');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.ok((await alert.textContent()).trim().length > 0, 'the alert says what went wrong');
    assert.equal(pathOf(page), '/login');
    await settled(page, 'sign-in failure');
    // Not signed in: the dashboard still redirects to the sign-in page.
    await page.goto('/');
    assert.equal(pathOf(page), '/login');
    assertNoProblems(page);
  } finally {
    await page.dispose();
  }
  // A single failure does not lock the account.
  await Api.login('r.lowe');
});

test('signing in with a second factor asks for the code, refuses a used one, accepts the next', async () => {
  const username = await createUser('mfa.browser', ['viewer']);
  const api = await Api.login(username);
  const totp = await enableMfa(api);
  const usedCode = totp.generate();
  await api.logout();

  const page = await openPage();
  try {
    await signInThroughPage(page, username);
    await page.waitForURL((u) => u.pathname === '/login/mfa');
    await settled(page, 'second factor page');
    const code = page.getByLabel('Authentication code', { exact: true });
    const verify = page.getByRole('button', { name: 'Verify', exact: true });

    // The code that turned MFA on was accepted once already.
    await code.fill(usedCode);
    await verify.click();
    await page.getByRole('alert').waitFor();
    assert.equal(pathOf(page), '/login/mfa', 'a used code does not sign in');
    await settled(page, 'second factor refused');

    // The session is not signed in meanwhile.
    const me = await page.evaluate(() => fetch('/api/v1/auth/me').then((r) => r.json()));
    assert.equal(me.pending, 'mfa_code');

    await nextTotpStep(totp);
    await code.fill(totp.generate());
    await verify.click();
    await page.waitForURL((u) => u.pathname === '/');
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    await settled(page, 'dashboard after second factor');
  } finally {
    await page.dispose();
  }
});

test('signing out ends the session; every page then redirects to the sign-in page', async () => {
  const page = await openPage();
  try {
    await signInThroughPage(page, 'j.patel');
    await page.waitForURL((u) => u.pathname === '/');
    const [{ value: session }] = (await page.context().cookies()).filter((c) => c.name === 'tandem_session');
    await page.getByRole('banner').getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.waitForURL((u) => u.pathname === '/login');
    await settled(page, 'sign-in page after signing out');
    for (const p of ['/', '/records', '/r/incidents', '/r/incidents/INC-000001', '/search?q=backup', '/account']) {
      await page.goto(p);
      assert.equal(pathOf(page), '/login', `${p} after signing out`);
    }
    assertNoProblems(page);
    // The old session cookie is dead on the server too.
    const base = await baseUrl();
    const res = await fetch(`${base}/api/v1/auth/me`, { headers: { Cookie: `tandem_session=${session}` } });
    assert.equal(res.status, 401);
  } finally {
    await page.dispose();
  }
});

test('signed-out requests for pages are answered 303 to /login', async () => {
  const base = await baseUrl();
  for (const p of ['/', '/records', '/r/risks', '/search', '/account', '/admin']) {
    const res = await fetch(base + p, { redirect: 'manual' });
    assert.equal(res.status, 303, `GET ${p} signed out`);
    assert.equal(new URL(res.headers.get('location'), base).pathname, '/login', `GET ${p} redirects to /login`);
  }
  // The sign-in page itself is served.
  const login = await fetch(`${base}/login`);
  assert.equal(login.status, 200);
});

test('a pending password change sends the user to the account page', async () => {
  const username = await createUser('reset.browser', ['viewer']);
  const admin = await Api.login('admin');
  const temporary = 'Temporary-Password-4417';
  await admin.post(`/admin/users/${username}/reset-password`, { password: temporary });
  await admin.logout();
  const page = await openPage();
  try {
    await signInThroughPage(page, username, temporary);
    await page.waitForURL((u) => u.pathname === '/account');
    await page.getByRole('heading', { level: 2, name: 'Change password' }).waitFor();
    await settled(page, 'account page with a pending password change');
  } finally {
    await page.dispose();
  }
});
