// The report page: statistics and charts of a real call, filtering by event types and call id,
// and "Export to CSV" giving exactly the events shown, byte for byte as GET /api/v1/events.csv.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import {
  AGENTS, MANAGER, cleanup, launchBrowser, newPage, screenshot, signIn, startAgentPhone, startCaller, startCallq,
} from './lib/harness.mjs';

async function download(page) {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export to CSV' }).click(),
  ]);
  return { name: file.suggestedFilename(), text: fs.readFileSync(await file.path(), 'utf8') };
}

async function serverCsv(server, query) {
  const r = await fetch(`${server.url}/api/v1/events.csv?${query}`, { headers: { Authorization: `Bearer ${await server.token()}` } });
  assert.equal(r.status, 200);
  return r.text();
}

async function shownEvents(page) {
  return page.locator('table[aria-label="Events"] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-event')));
}

describe('report', () => {
  let server;
  let browser;
  let page;

  before(async () => {
    server = await startCallq({ label: 'report' });
    browser = await launchBrowser();
    // Something to report: one answered call, logins, a break.
    const phone = await startAgentPhone(server, 'alice', ['--answer-after', '1', '--hangup-after', '2', '--tone', '0']);
    await startCaller(server, '600', '+33111222333', ['--max-time', '20', '--tone', '0']);
    await phone.lines.waitFor(/^call-ended 1/, 15000);
    for (const [method, p, body] of [
      ['PUT', '/queues/sales/members/bob'],
      ['PUT', '/queues/support/members/dave'],
      ['DELETE', '/queues/sales/members/bob'],
      ['PUT', '/agents/alice/presence', { presence: 'withdrawn', reason: 'lunch' }],
      ['PUT', '/agents/alice/presence', { presence: 'ready' }],
    ]) {
      const r = await server.api(method, p, body);
      assert.equal(r.status, 200, `${method} ${p}: ${JSON.stringify(r.body)}`);
    }
    page = await newPage(browser, { width: 1366, height: 900 });
    await signIn(page, server, MANAGER.name, MANAGER.password);
  });
  after(cleanup);

  it('shows the statistics of the period with charts', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' }).click();
    await page.getByRole('heading', { name: 'Statistics' }).waitFor();
    const kpi = async (label) => (await page.locator('.kpi', { has: page.locator('.kpi-label', { hasText: new RegExp(`^${label}$`) }) }).locator('.kpi-value').innerText()).trim();
    assert.equal(await kpi('Offered'), '1');
    assert.equal(await kpi('Answered'), '1');
    assert.equal(await kpi('Abandoned'), '0');
    assert.equal(await kpi('Service level'), '100%');
    await page.getByRole('img', { name: 'Service level per hour' }).waitFor();
    await page.getByRole('img', { name: 'Calls per hour' }).waitFor();
    const perQueue = page.getByRole('table', { name: 'Statistics per queue' });
    assert.match(await perQueue.locator('tbody tr').first().innerText(), /^sales\s+1\s+1\s+0\s+100%/);
    const perAgent = page.getByRole('table', { name: 'Statistics per agent' });
    assert.match(await perAgent.innerText(), /Alice Martin/);
    // Every event of today, in order.
    const all = await server.api('GET', '/events?period=today&limit=1000');
    assert.deepEqual(await shownEvents(page), all.body.events.map((e) => e.event));
    await page.waitForTimeout(300); // charts drawn
    await screenshot(page, 'report');
  });

  it('filters by event types and exports exactly what it shows', async () => {
    await page.getByRole('button', { name: /Event types/ }).click();
    const types = page.getByRole('group', { name: 'Event types' });
    await types.getByRole('button', { name: 'Uncheck all' }).click();
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('alert').filter({ hasText: 'Check at least one event type' }).waitFor();
    await types.getByRole('button', { name: 'Check all', exact: true }).click();
    assert.equal(await types.getByRole('checkbox', { checked: false }).count(), 0);
    await types.getByRole('button', { name: 'Uncheck all' }).click();
    await types.getByRole('checkbox', { name: /ADDMEMBER/ }).check();
    await types.getByRole('checkbox', { name: /REMOVEMEMBER/ }).check();
    await screenshot(page, 'report-types');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/type=ADDMEMBER%2CREMOVEMEMBER|type=ADDMEMBER,REMOVEMEMBER/);
    await page.getByTestId('events-count').getByText('3 events').waitFor();
    assert.deepEqual(await shownEvents(page), ['ADDMEMBER', 'ADDMEMBER', 'REMOVEMEMBER']);

    const csv = await download(page);
    assert.equal(csv.name, 'callq-events-today.csv');
    assert.equal(csv.text, await serverCsv(server, 'period=today&type=ADDMEMBER,REMOVEMEMBER'));
    assert.equal(csv.text.trimEnd().split('\r\n').length, 1 + 3);
  });

  it('filters by call id and queue', async () => {
    await page.getByRole('button', { name: /Event types/ }).click();
    await page.getByRole('group', { name: 'Event types' }).getByRole('button', { name: 'Check all', exact: true }).click();
    await page.getByLabel('Call id', { exact: true }).fill('1');
    await page.getByLabel('Queue', { exact: true }).selectOption('sales');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/call=1/);
    await page.getByTestId('events-count').getByText('3 events').waitFor();
    assert.deepEqual(await shownEvents(page), ['ENTERQUEUE', 'CONNECT', 'COMPLETEAGENT']);
    assert.match(await page.locator('table[aria-label="Events"] tbody tr').first().innerText(), /\+33111222333/);
    const csv = await download(page);
    assert.equal(csv.name, 'callq-events-today-sales-call-1.csv');
    assert.equal(csv.text, await serverCsv(server, 'period=today&queue=sales&call=1'));

    // A custom range that ends before it starts is refused before asking the server.
    await page.getByLabel('From', { exact: true }).fill('2026-01-02T10:00');
    await page.getByLabel('To', { exact: true }).fill('2026-01-02T09:00');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('alert').filter({ hasText: 'must be after from' }).waitFor();
  });

  it("shows an agent only its own report", async () => {
    const agent = await newPage(browser, { width: 1100 });
    await signIn(agent, server, 'alice', AGENTS.alice.password);
    await agent.goto(server.url + '/#/reports');
    await agent.getByRole('heading', { name: 'My report' }).waitFor();
    const answered = agent.locator('.kpi', { has: agent.locator('.kpi-label', { hasText: /^Answered$/ }) }).locator('.kpi-value');
    assert.equal((await answered.innerText()).trim(), '1');
    await agent.locator('table[aria-label="Events"] tbody tr').first().waitFor();
    const agentsShown = await agent.locator('table[aria-label="Events"] tbody td:nth-child(5)').allInnerTexts();
    assert.ok(agentsShown.length >= 4);
    assert.ok(agentsShown.every((a) => a.trim() === 'alice'), `events of others shown: ${agentsShown}`);
    await screenshot(agent, 'report-agent');
    await agent.context().close();
  });
});
