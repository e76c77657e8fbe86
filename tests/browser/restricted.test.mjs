// Need-to-know: the ransomware incident restricted to incident-response does
// not exist for a user outside the group, anywhere in the UI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Api, openPage, visit, listedNumbers } from './harness.mjs';

async function restrictedIncident() {
  const member = await Api.login('a.khan');
  const found = (await member.list('incidents')).filter((r) => r.restricted_to === 'incident-response');
  assert.equal(found.length, 1, 'the demo has one restricted incident');
  assert.match(found[0].title, /ransomware/i);
  return found[0];
}

// The record links on a search results page.
const searchLinks = (page) =>
  page.locator('main a').evaluateAll((as) => as.map((a) => ({ text: a.textContent.trim(), href: a.getAttribute('href') })));

test('a user outside the group sees the restricted incident nowhere', async () => {
  const incident = await restrictedIncident();
  const page = await openPage({ user: 'm.board' });
  try {
    await visit(page, '/r/incidents');
    const listed = await listedNumbers(page);
    assert.ok(listed.length > 0, 'm.board sees other incidents');
    assert.ok(!listed.includes(incident.number), `${incident.number} is not in m.board's list`);
    assert.ok(!(await page.locator('main').textContent()).includes(incident.title));

    await visit(page, '/search?q=ransomware');
    const links = await searchLinks(page);
    assert.ok(links.some((l) => /\/r\/risks\//.test(l.href)), 'the search finds the ransomware risk');
    assert.ok(!links.some((l) => l.href.includes(incident.number) || l.text.includes(incident.number)),
      `${incident.number} is not among m.board's search results`);
    assert.ok(!(await page.locator('main').textContent()).includes(incident.title), 'its title is not shown');

    for (const p of [`/r/incidents/${incident.number}`, `/r/incidents/${incident.id}`, `/r/incidents/${incident.number}/edit`]) {
      await visit(page, p, { status: 404 });
      assert.equal((await page.getByRole('heading', { level: 1 }).textContent()).trim(), 'Not found', p);
      assert.ok(!(await page.content()).includes(incident.title), `${p} tells nothing of the record`);
    }
  } finally {
    await page.dispose();
  }
});

test('a member of the group sees the restricted incident in the list, the search and its page', async () => {
  const incident = await restrictedIncident();
  const page = await openPage({ user: 'a.khan' });
  try {
    await visit(page, '/r/incidents');
    assert.ok((await listedNumbers(page)).includes(incident.number));
    await visit(page, '/search?q=ransomware');
    const links = await searchLinks(page);
    assert.ok(links.some((l) => l.href === `/r/incidents/${incident.number}`), `a link to ${incident.number} in ${JSON.stringify(links)}`);
    await visit(page, `/r/incidents/${incident.number}`);
    const h1 = await page.getByRole('heading', { level: 1 }).textContent();
    assert.match(h1, new RegExp(incident.number));
  } finally {
    await page.dispose();
  }
});
