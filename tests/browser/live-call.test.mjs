// A real SIP call (Net::SIP caller and agent phone) seen live in the console: the caller waiting
// on the dashboard, the incoming-call notice with the caller id in the agent's widget, then the
// call connected everywhere, then over. The pages do not poll and wait at most 3 s for each change:
// only the stream can bring it. What they show is checked against the API's fields.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AGENTS, MANAGER, cleanup, launchBrowser, newPage, screenshot, signIn, startAgentPhone, startCaller, startCallq,
} from './lib/harness.mjs';

const CALLER = '+33123456789';

describe('a live call', () => {
  let server;
  let browser;

  before(async () => {
    server = await startCallq({ label: 'live-call' });
    browser = await launchBrowser();
  });
  after(cleanup);

  it('shows the phone registered, the caller waiting, then connected, then done', async () => {
    // Alice's phone rings 6 s before answering, and hangs up 5 s into the call.
    const phone = await startAgentPhone(server, 'alice', ['--answer-after', '6', '--hangup-after', '5', '--tone', '0']);

    const agents = await newPage(browser, { width: 1366, polling: false });
    await signIn(agents, server, MANAGER.name, MANAGER.password);
    await agents.goto(server.url + '/#/agents');
    const aliceRow = agents.locator('tr[data-agent="alice"]');
    await aliceRow.waitFor();
    // Registered: the phone's contact, and when its registration expires.
    const [registered] = (await server.api('GET', '/agents/alice')).body.phones;
    assert.ok(registered?.contact, 'alice has a phone registered');
    const phones = aliceRow.locator('td[data-label="Phones"]');
    await phones.getByText(registered.contact, { exact: true }).waitFor();
    assert.match(await phones.innerText(), /expires in \d+ s/);
    assert.match(await agents.locator('tr[data-agent="bob"] td[data-label="Phones"]').innerText(), /No phone registered/);

    const dashboard = await newPage(browser, { width: 1366, polling: false });
    await signIn(dashboard, server, MANAGER.name, MANAGER.password);
    await dashboard.getByRole('status', { name: 'Live updates: Live' }).waitFor({ timeout: 10000 });
    const sales = dashboard.locator('tr[data-queue="sales"]');
    await sales.waitFor();

    const widget = await newPage(browser, { width: 400, height: 760, polling: false });
    await signIn(widget, server, 'alice', AGENTS.alice.password);
    await widget.getByRole('status', { name: 'Live updates: Live' }).waitFor({ timeout: 10000 });
    await widget.getByText('Phone registered', { exact: true }).waitFor();  // not "No phone registered"
    // Carol is Ready too but has no phone: only Alice can take a call.
    const readyKpi = dashboard.locator('.kpi', { hasText: 'Ready, phone registered' }).locator('.kpi-value');
    await readyKpi.getByText(/^1$/).waitFor({ timeout: 3000 });

    const caller = await startCaller(server, '600', CALLER, ['--hangup-after', '30', '--max-time', '40', '--tone', '0']);

    // Ringing: the caller waits in sales (live, no reload) and Alice's widget says who calls.
    const waiting = sales.getByLabel('1 waiting in sales');
    await waiting.waitFor({ timeout: 3000 });
    const [waiter] = (await server.api('GET', '/queues/sales')).body.waiting;
    assert.equal(waiter.caller, CALLER);
    await waiting.locator('.caller').getByText(waiter.caller, { exact: true }).waitFor();
    await sales.locator('li', { hasText: 'Alice Martin' }).getByText('Ringing').waitFor({ timeout: 3000 });
    const notice = widget.getByRole('alert', { name: 'Incoming call' });
    await notice.waitFor({ timeout: 3000 });
    const ringing = (await server.api('GET', '/agents/alice')).body.call;
    assert.deepEqual([ringing.state, ringing.caller, ringing.queue], ['ringing', CALLER, 'sales']);
    assert.equal((await widget.getByTestId('caller-id').innerText()).trim(), ringing.caller);
    assert.match(await notice.innerText(), /Incoming call · sales/i);
    await screenshot(dashboard, 'call-waiting-dashboard');
    await screenshot(widget, 'call-incoming-widget');

    // Answered: connected on the dashboard, the widget and the agents page.
    await phone.lines.waitFor(/^established$/, 10000);
    await caller.lines.waitFor(/^answered$/, 5000);
    await sales.locator('li', { hasText: 'Alice Martin' }).getByText('On call').waitFor({ timeout: 3000 });
    await sales.getByLabel('No one waiting in sales').waitFor({ timeout: 3000 });
    const connected = (await server.api('GET', '/agents/alice')).body.call;
    assert.deepEqual([connected.state, connected.caller, connected.queue], ['connected', CALLER, 'sales']);
    const current = widget.getByRole('region', { name: 'Current call' });
    await current.getByText(/on call/i).waitFor({ timeout: 3000 });
    assert.equal((await current.locator('.call-caller').innerText()).trim(), connected.caller);
    const call = aliceRow.locator('td[data-label="Current call"]');
    await call.getByText('Connected').waitFor({ timeout: 3000 });
    assert.equal((await call.locator('.cell-title').innerText()).trim(), connected.caller);
    assert.match(await call.innerText(), new RegExp(`sales · call ${connected.id}`));
    assert.equal((await dashboard.locator('.kpi', { hasText: 'On call' }).locator('.kpi-value').innerText()).trim(), '1');
    assert.equal((await readyKpi.innerText()).trim(), '0');
    await screenshot(dashboard, 'call-connected-dashboard');
    await screenshot(widget, 'call-connected-widget');
    await screenshot(agents, 'call-connected-agents');

    // Over: Alice hung up; she is Ready again everywhere.
    await phone.lines.waitFor(/^call-ended 1/, 10000);
    await sales.locator('li', { hasText: 'Alice Martin' }).getByText('Ready').waitFor({ timeout: 3000 });
    await widget.getByRole('region', { name: 'Current call' }).getByText('No call').waitFor({ timeout: 3000 });
    const events = await server.api('GET', '/events?period=today&type=ENTERQUEUE,CONNECT,COMPLETEAGENT');
    assert.deepEqual(events.body.events.map((e) => e.event), ['ENTERQUEUE', 'CONNECT', 'COMPLETEAGENT']);
  });
});
