// The account page: API tokens, password change and two-factor set-up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as OTPAuth from 'otpauth';
import { Api, PASSWORD, baseUrl, createUser, openPage, settled, visit, until } from './harness.mjs';

const section = (page, name) => {
  const s = page.locator('section').filter({ has: page.getByRole('heading', { level: 2, name, exact: true }) }).last();
  return s.or(page.locator('main')).last();
};

async function me(token) {
  const res = await fetch(`${await baseUrl()}/api/v1/auth/me`, { headers: { Authorization: `Bearer ${token}` } });
  return { status: res.status, body: res.status === 200 ? await res.json() : null };
}

test('an API token is created once, works, and is revoked', async () => {
  const username = await createUser('token.browser', ['viewer']);
  const page = await openPage({ user: username });
  try {
    await visit(page, '/account');
    const tokens = section(page, 'API tokens');
    await tokens.getByLabel('Token name', { exact: true }).fill('browser-test-token');
    await tokens.getByLabel('Scope', { exact: true }).selectOption('read');
    await tokens.getByRole('button', { name: 'Create token', exact: true }).click();
    const shown = page.locator('code#new-token');
    await shown.waitFor();
    await settled(page, 'new API token');
    const token = (await shown.textContent()).trim();
    assert.match(token, /^tdm_/);
    const answer = await me(token);
    assert.equal(answer.status, 200);
    assert.equal(answer.body.username, username);

    // Shown once: a fresh load of the page no longer has it.
    await visit(page, '/account');
    assert.equal(await page.locator('code#new-token').count(), 0);
    assert.ok(!(await page.content()).includes(token), 'the token is not on the page again');

    const row = section(page, 'API tokens').locator('tr, li').filter({ hasText: 'browser-test-token' });
    await row.getByRole('button', { name: /^Revoke\b/ }).click();
    await until(async () => (await me(token)).status === 401, 'the revoked token is refused');
    await settled(page, 'token revoked');
  } finally {
    await page.dispose();
  }
});

test('the password is changed on the account page', async () => {
  const username = await createUser('password.browser', ['viewer']);
  const page = await openPage({ user: username });
  const next = 'Another-Long-Passphrase-3391';
  try {
    await visit(page, '/account');
    const form = section(page, 'Change password');
    await form.getByLabel('Current password', { exact: true }).fill(PASSWORD);
    await form.getByLabel('New password', { exact: true }).fill(next);
    await form.getByRole('button', { name: 'Change password', exact: true }).click();
    await until(async () => {
      const r = await fetch(`${await baseUrl()}/api/v1/auth/login`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username, password: next }),
      });
      return r.status === 200;
    }, 'the new password signs in');
    await settled(page, 'password changed');
    await assert.rejects(Api.login(username, PASSWORD), /401/, 'the old password no longer signs in');
  } finally {
    await page.dispose();
  }
});

test('two-factor sign-in is turned on from the account page', async () => {
  const username = await createUser('mfa.setup.browser', ['viewer']);
  const page = await openPage({ user: username });
  try {
    await visit(page, '/account');
    await section(page, 'Two-factor sign-in').getByRole('button', { name: 'Set up two-factor sign-in', exact: true }).click();
    const secretEl = page.locator('code#mfa-secret');
    await secretEl.waitFor();
    await settled(page, 'two-factor set-up');
    const secret = (await secretEl.textContent()).replace(/\s+/g, '');
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });
    const sessionCookie = async () =>
      (await page.context().cookies()).find((c) => c.name === 'tandem_session')?.value;
    const before = await sessionCookie();
    await page.getByLabel('Authentication code', { exact: true }).fill(totp.generate());
    await page.getByRole('button', { name: 'Turn on', exact: true }).click();
    const admin = await Api.login('admin');
    await until(async () => (await admin.get(`/admin/users/${username}`)).mfa_enabled === true, 'MFA is on for the user');
    await page.locator('code.recovery').first().waitFor();
    assert.equal(await page.locator('code.recovery').count(), 10, 'ten recovery codes are shown');
    await settled(page, 'two-factor turned on');
    // The session went on under a new id, which the browser now holds.
    const after = await sessionCookie();
    assert.ok(after && after !== before, 'the session id changed');
    await visit(page, '/account');
    assert.equal(new URL(page.url()).pathname, '/account', 'still signed in');
    // Signing in now asks for a code.
    const api = await Api.login(username);
    assert.equal(api.pending, 'mfa_code');
  } finally {
    await page.dispose();
  }
});
