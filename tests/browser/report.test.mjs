// The report page: statistics and charts of a real call (as GET /api/v1/stats/queues gives them),
// filtering by event types, call id and queue, an unknown type refused, and "Export to CSV"
// downloading GET /api/v1/events.csv for the filters applied.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import {
  AGENTS, MANAGER, cleanup, launchBrowser, newPage, screenshot, signIn, startAgentPhone, startCaller, startCallq,
} from './lib/harness.mjs';

async function download(page) {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Export to CSV' }).click(),
  ]);
  return { name: file.suggestedFilename(), text: fs.readFileSync(await file.path(), 'utf8') };
}

async function serverCsv(server, query) {
  const r = await fetch(`${server.url}/api/v1/events.csv?${query}`, { headers: { Authorization: `Bearer ${await server.token()}` } });
  assert.equal(r.status, 200);
  return r.text();
}

/** The queue column of each row of an events.csv (after the header). */
function csvQueues(text) {
  return text.trimEnd().split('\r\n').slice(1).map((line) => line.split(',')[4]);
}

/**
 * The labels and datasets of the chart named `name`, read from Chart.js itself:
 * Chart.getChart(canvas).data. The page's Chart.js chunk is imported again, which gives the same
 * module, hence the same chart registry.
 */
async function chartData(page, name) {
  return page.evaluate(async (name) => {
    const url = performance.getEntriesByType('resource').map((e) => e.name).find((n) => /\/assets\/chart-[^/]*\.js$/.test(n));
    const Chart = Object.values(await import(url)).find((v) => typeof v?.getChart === 'function');
    const chart = Chart.getChart(document.querySelector(`canvas[aria-label="${name}"]`));
    return { labels: chart.data.labels, datasets: chart.data.datasets.map((d) => ({ label: d.label, data: d.data })) };
  }, name);
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
    const total = (await server.api('GET', '/stats/queues?period=today&interval=total')).body.rows;
    const sales = total.find((r) => r.queue === 'sales');
    assert.deepEqual([sales.offered, sales.answered, sales.abandoned, sales.service_level], [1, 1, 0, 1]);
    const sum = (key) => total.reduce((n, r) => n + r[key], 0);
    const kpi = async (label) => (await page.locator('.kpi', { has: page.locator('.kpi-label', { hasText: new RegExp(`^${label}$`) }) }).locator('.kpi-value').innerText()).trim();
    assert.equal(await kpi('Offered'), String(sum('offered')));
    assert.equal(await kpi('Answered'), String(sum('answered')));
    assert.equal(await kpi('Abandoned'), String(sum('abandoned')));
    assert.equal(await kpi('Service level'), '100%');
    const perQueue = page.getByRole('table', { name: 'Statistics per queue' });
    assert.match(await perQueue.locator('tbody tr').first().innerText(), /^sales\s+1\s+1\s+0\s+100%/);

    // The charts draw the server's hourly figures: the hour with the call has them, the others none.
    await page.getByRole('img', { name: 'Service level per hour' }).waitFor();
    await page.getByRole('img', { name: 'Calls per hour' }).waitFor();
    const hours = (await server.api('GET', '/stats/queues?period=today&interval=hour')).body.rows.filter((r) => r.offered > 0);
    assert.equal(hours.length, 1, JSON.stringify(hours));
    const [hour] = hours;
    const label = await page.evaluate((ms) => new Date(ms).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }), hour.start_ms);
    const calls = await chartData(page, 'Calls per hour');
    const at = calls.labels.indexOf(label);
    assert.ok(at >= 0, `no bar for ${label} in ${calls.labels}`);
    assert.deepEqual(calls.datasets.map((d) => d.label), ['Answered', 'Abandoned', 'Other (timeout, overflow…)']);
    const expected = [hour.answered, hour.abandoned, hour.offered - hour.answered - hour.abandoned];
    calls.datasets.forEach((d, i) => {
      assert.equal(d.data.length, calls.labels.length);
      d.data.forEach((v, j) => assert.equal(v, j === at ? expected[i] : 0, `${d.label} at ${calls.labels[j]}`));
    });
    const level = await chartData(page, 'Service level per hour');
    assert.deepEqual(level.labels, calls.labels);
    level.datasets[0].data.forEach((v, j) => assert.equal(v, j === at ? hour.service_level * 100 : null, `service level at ${level.labels[j]}`));
    const perAgent = page.getByRole('table', { name: 'Statistics per agent' });
    assert.match(await perAgent.innerText(), /Alice Martin/);
    // Every event of today, in order.
    const all = await server.api('GET', '/events?period=today&limit=1000');
    assert.deepEqual(await shownEvents(page), all.body.events.map((e) => e.event));
    await page.waitForTimeout(300); // charts drawn
    await screenshot(page, 'report');
  });

  it('filters by event types; the export is events.csv for them', async () => {
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

    // An event that comes after the report was made is not shown, so it is not exported either.
    assert.equal((await server.api('PUT', '/queues/sales/members/bob')).status, 200);
    await page.getByRole('status').filter({ hasText: '1 new event since this report was made' }).waitFor();
    const csv = await download(page);
    assert.equal(csv.name, 'callq-events-today.csv');
    const rows = csv.text.trimEnd().split('\r\n');
    assert.deepEqual(rows.slice(1).map((line) => line.split(',')[2]), await shownEvents(page));
    assert.equal(rows.length, 1 + 3);
    const now = await serverCsv(server, 'period=today&type=ADDMEMBER,REMOVEMEMBER');
    assert.equal(now.trimEnd().split('\r\n').length, 1 + 4, 'the new ADDMEMBER is stored');
    assert.ok(now.startsWith(csv.text), 'the export is the first events of the same filter');
  });

  it('refuses an unknown event type in the address, naming the field', async () => {
    await page.goto(server.url + '/#/reports?period=today&type=TYPO');
    const refused = page.getByRole('alert').filter({ hasText: "unknown event 'TYPO'" });
    await refused.waitFor();
    assert.match(await refused.innerText(), /field: type/);
    assert.equal(await page.getByRole('table', { name: 'Events' }).count(), 0, 'no events shown for a refused filter');
    assert.equal((await server.api('GET', '/events?period=today&type=TYPO')).status, 400);
    await screenshot(page, 'report-unknown-type');
  });

  it('filters by queue: the export is only that queue\'s events', async () => {
    await page.goto(server.url + '/#/reports?period=today');
    await page.getByRole('heading', { name: 'Statistics' }).waitFor();
    const exportFor = async (queue) => {
      await page.getByLabel('Queue', { exact: true }).selectOption(queue);
      await page.getByRole('button', { name: 'Apply' }).click();
      await page.waitForURL(new RegExp(`queue=${queue}$`));
      await page.getByRole('link', { name: 'Export to CSV' }).waitFor();
      const csv = await download(page);
      assert.equal(csv.name, `callq-events-today-${queue}.csv`);
      assert.equal(csv.text, await serverCsv(server, `period=today&queue=${queue}`));
      assert.ok(csvQueues(csv.text).length > 0, `no events of ${queue}`);
      assert.deepEqual([...new Set(csvQueues(csv.text))], [queue]);
      return csv.text;
    };
    const support = await exportFor('support');
    const sales = await exportFor('sales');
    assert.notEqual(support, sales);
    assert.ok(csvQueues(await serverCsv(server, 'period=today')).length > csvQueues(sales).length, 'the filter narrows');
  });

  it('filters by call id and queue', async () => {
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
