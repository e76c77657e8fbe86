// Shared harness of the browser tests: the server under test, the API client,
// the browser, page guards, accessibility checks and screenshots.
//
// One server serves the whole suite when run.mjs starts it (it passes its
// address in TANDEM_URL); a test file run on its own starts its own server
// from the binary named by TANDEM.
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import { after } from 'node:test';
import { chromium } from 'playwright-core';
import AxeBuilderModule from '@axe-core/playwright';
import * as OTPAuth from 'otpauth';
import { startServer } from './server.mjs';

export { startServer };

const AxeBuilder = AxeBuilderModule.default ?? AxeBuilderModule;

export const PASSWORD = 'Northbridge-Demo-2026';
export const DESKTOP = { width: 1280, height: 900 };
export const MOBILE = { width: 390, height: 844 };

// --- the server ------------------------------------------------------------

let serverPromise;
let browserPromise;
// Registered when this module loads (outside any test), so it runs once after
// the whole file: closes the browser and stops a server this file started.
after(async () => {
  if (browserPromise) await (await browserPromise).close();
  if (serverPromise) await (await serverPromise).stop();
});

// The base URL (no trailing slash) of the server under test.
export function baseUrl() {
  if (process.env.TANDEM_URL) return Promise.resolve(process.env.TANDEM_URL.replace(/\/$/, ''));
  if (!serverPromise) serverPromise = startServer();
  return serverPromise.then((s) => s.url);
}

// --- the API ------------------------------------------------------------------

export class ApiError extends Error {
  constructor(method, url, status, body) {
    super(`${method} ${url} -> ${status}: ${typeof body === 'string' ? body : JSON.stringify(body)}`);
    this.status = status;
    this.body = body;
  }
}

// A signed-in API session (cookie and CSRF token), as a browser would hold it.
export class Api {
  constructor(base, cookie, csrf, username) {
    Object.assign(this, { base, cookie, csrf, username });
  }

  static async login(username, password = PASSWORD) {
    const base = await baseUrl();
    const res = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    const body = await res.json();
    if (res.status !== 200) throw new ApiError('POST', '/api/v1/auth/login', res.status, body);
    const cookie = res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .find((c) => c.startsWith('tandem_session='));
    assert.ok(cookie, 'sign-in sets the tandem_session cookie');
    const api = new Api(base, cookie, body.csrf_token, username);
    api.pending = body.pending;
    return api;
  }

  // The session cookie's value, for a browser context.
  get sessionId() {
    return this.cookie.slice(this.cookie.indexOf('=') + 1);
  }

  // Sends a request; answers {status, headers, body} (body parsed when JSON).
  async raw(method, p, body, headers = {}) {
    const url = p.startsWith('/api/') ? p : `/api/v1${p}`;
    const h = { Cookie: this.cookie, ...headers };
    if (method !== 'GET') h['X-CSRF-Token'] = this.csrf;
    if (body !== undefined) h['Content-Type'] = 'application/json';
    const res = await fetch(this.base + url, {
      method,
      headers: h,
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: 'manual',
    });
    const text = await res.text();
    let parsed = text;
    if ((res.headers.get('content-type') || '').includes('json') && text) parsed = JSON.parse(text);
    return { status: res.status, headers: res.headers, body: parsed };
  }

  async request(method, p, body, headers, expect) {
    const r = await this.raw(method, p, body, headers);
    const ok = expect ? r.status === expect : r.status >= 200 && r.status < 300;
    if (!ok) throw new ApiError(method, p, r.status, r.body);
    return r.body;
  }

  get(p) { return this.request('GET', p); }
  post(p, body = {}) { return this.request('POST', p, body); }
  put(p, body) { return this.request('PUT', p, body); }
  delete(p) { return this.request('DELETE', p); }
  // PATCH with If-Match: the record's current version unless given.
  async patch(p, body, version) {
    if (version === undefined) version = (await this.get(p)).version;
    return this.request('PATCH', p, body, { 'If-Match': `"${version}"` });
  }

  // Every item of a list (follows the cursor).
  async list(collection, query = {}) {
    const items = [];
    let after;
    do {
      const q = new URLSearchParams({ ...query, limit: '500' });
      if (after) q.set('after', after);
      const page = await this.get(`/${collection}?${q}`);
      items.push(...page.items);
      after = page.next;
    } while (after);
    return items;
  }

  async logout() {
    await this.raw('POST', '/auth/logout', {});
  }
}

// A new user made by the demo administrator; answers the username.
export async function createUser(username, roles = ['viewer'], groups = []) {
  const admin = await Api.login('admin');
  await admin.post('/admin/users', {
    username,
    password: PASSWORD,
    display_name: `Test user ${username}`,
    roles,
    groups,
  });
  await admin.logout();
  return username;
}

// --- two-factor codes ---------------------------------------------------------

export function totpFor(otpauthUri) {
  return OTPAuth.URI.parse(otpauthUri);
}

// Waits until the next 30-second step starts (a code is accepted once).
export async function nextTotpStep(totp) {
  const period = (totp.period || 30) * 1000;
  const wait = period - (Date.now() % period) + 300;
  await new Promise((r) => setTimeout(r, wait));
}

// Turns two-factor sign-in on for the user of `api`; answers the TOTP generator
// and the step its enabling code used.
export async function enableMfa(api) {
  const setup = await api.post('/auth/mfa/setup', {});
  assert.ok(setup.secret, 'MFA setup returns the secret');
  const totp = totpFor(setup.otpauth_uri);
  const enabled = await api.post('/auth/mfa/enable', { code: totp.generate() });
  assert.equal(enabled.recovery_codes.length, 10);
  return totp;
}

// --- the browser ----------------------------------------------------------------

export function browser() {
  if (!browserPromise) {
    browserPromise = chromium.launch({
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
      ],
    });
  }
  return browserPromise;
}

// A page in a fresh browser context, with a guard that records dialogs,
// Content Security Policy errors and uncaught errors. With `user`, the context
// carries a session of that user (signed in through the API).
export async function openPage({ user, viewport = DESKTOP } = {}) {
  const base = await baseUrl();
  const context = await (await browser()).newContext({ baseURL: base, viewport, acceptDownloads: true });
  let api;
  if (user) {
    api = await Api.login(user);
    const { hostname } = new URL(base);
    await context.addCookies([
      { name: 'tandem_session', value: api.sessionId, domain: hostname, path: '/', httpOnly: true, sameSite: 'Lax' },
    ]);
  }
  // Fail within seconds on a missing element rather than hang.
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  page.problems = [];
  page.on('dialog', async (d) => {
    page.problems.push(`a ${d.type()} dialog opened: ${d.message()}`);
    await d.dismiss().catch(() => {});
  });
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content[- ]Security[- ]Policy/i.test(m.text()))
      page.problems.push(`CSP violation: ${m.text()}`);
  });
  page.on('pageerror', (e) => page.problems.push(`uncaught error: ${e.message}`));
  page.api = api;
  page.dispose = () => context.close();
  return page;
}

// Fails when the guard saw a dialog, a CSP violation or an uncaught error.
export function assertNoProblems(page) {
  assert.deepEqual(page.problems, [], `problems on ${page.url()}:\n${page.problems.join('\n')}`);
}

// Runs `fn(page)` on a fresh page, then checks the guard and closes the context.
export async function withPage(options, fn) {
  const page = await openPage(options);
  try {
    await fn(page);
    assertNoProblems(page);
  } finally {
    await page.dispose();
  }
}

// --- accessibility -------------------------------------------------------------

function formatViolations(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 5)
        .map((n) => `    at ${n.target.join(' ')}\n      ${n.html.slice(0, 200)}\n      ${n.failureSummary.replace(/\n/g, '\n      ')}`)
        .join('\n');
      const more = v.nodes.length > 5 ? `\n    ... and ${v.nodes.length - 5} more` : '';
      return `  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes}${more}`;
    })
    .join('\n');
}

// Runs axe on the page; fails on any serious or critical violation.
export async function checkA11y(page, label = page.url()) {
  let results;
  try {
    results = await new AxeBuilder({ page }).analyze();
  } catch (e) {
    // A navigation still under way (htmx settling a boosted page): once more
    // when the new document has loaded.
    if (!/Execution context was destroyed/.test(e.message)) throw e;
    await page.waitForLoadState('load');
    results = await new AxeBuilder({ page }).analyze();
  }
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.equal(bad.length, 0, `accessibility violations on ${label} (${page.viewportSize().width} px):\n${formatViolations(bad)}`);
}

// After a navigation: the guard, then the accessibility check.
export async function settled(page, label) {
  await page.waitForLoadState('load');
  assertNoProblems(page);
  await checkA11y(page, label);
}

// Goes to `url`, expects `status` (default 200), checks guard and accessibility.
export async function visit(page, url, { status = 200, a11y = true } = {}) {
  const res = await page.goto(url);
  assert.ok(res, `no response for ${url}`);
  assert.equal(res.status(), status, `GET ${url}: status ${res.status()}, expected ${status} (at ${page.url()})`);
  assertNoProblems(page);
  if (a11y) await checkA11y(page, url);
  return res;
}

// --- mobile and screenshots ------------------------------------------------------

function artifactsDir() {
  const dir = process.env.TANDEM_ARTIFACTS;
  if (!dir) return null;
  mkdirSync(dir, { recursive: true });
  return dir;
}

export async function screenshot(page, name) {
  const dir = artifactsDir();
  if (!dir) return;
  const { width } = page.viewportSize();
  await page.screenshot({ path: path.join(dir, `${name}-${width}.png`), fullPage: true });
}

// The page as it stands, at 1280 px and at 390 px: screenshots of both,
// accessibility at both, and at 390 px no horizontal overflow. Leaves the page at
// its original size.
export async function checkBothWidths(page, name) {
  const original = page.viewportSize();
  await page.setViewportSize(DESKTOP);
  await checkA11y(page, `${name} (${page.url()})`);
  await screenshot(page, name);
  await page.setViewportSize(MOBILE);
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  assert.ok(
    scrollWidth <= MOBILE.width + 1,
    `${name} (${page.url()}) overflows horizontally at ${MOBILE.width} px: document scrollWidth ${scrollWidth} (client width ${clientWidth})`,
  );
  await checkA11y(page, `${name} (${page.url()})`);
  await screenshot(page, name);
  assertNoProblems(page);
  await page.setViewportSize(original);
}

// --- UI helpers ----------------------------------------------------------------

// Signs in through the sign-in page (no second factor expected unless `code`).
export async function signInThroughPage(page, username, password = PASSWORD) {
  await visit(page, '/login');
  await page.getByLabel('Username', { exact: true }).fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Sign in', exact: true }).click()]);
}

export function pathOf(page) {
  const u = new URL(page.url());
  return u.pathname;
}

export function readFile(p) {
  return readFileSync(p, 'utf8');
}

// Polls `fn` until it answers truthy; fails with `message` (a string or a
// function of the last value) after `timeout` ms.
export async function until(fn, message, timeout = 10_000) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > end) assert.fail(typeof message === 'function' ? message(last) : message);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// The record numbers (first cell links) of the results table of a list page.
export async function listedNumbers(page) {
  return page.locator('#results table tr').evaluateAll((rows) =>
    rows
      .map((r) => r.cells[0]?.querySelector('a')?.textContent.trim())
      .filter((t) => t && /^[A-Z]{2,5}-\d+$/.test(t)),
  );
}

// A minimal RFC 4180 CSV parser: rows of cells.
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell); rows.push(row); row = []; cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

// The form control labelled `label`: the label may carry a required marker
// ("Title *", "Title (required)") after the field's label.
export function field(scope, label) {
  const esc = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return scope.getByLabel(new RegExp(`^\\s*${esc}(\\s*\\*)?(\\s*\\(required\\))?\\s*$`));
}

// Opens the list's "Filters" disclosure when its controls are folded away.
export async function openFilters(page) {
  const details = page.getByRole('search').locator('details').filter({ has: page.locator('summary', { hasText: 'Filters' }) });
  if ((await details.count()) && !(await details.evaluate((d) => d.open))) await details.locator('summary').click();
}
