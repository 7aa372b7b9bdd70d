// The console in a browser: sign in, the queues dashboard, connecting and disconnecting agents,
// presence changed from the agent widget showing live on the dashboard, what an agent may see.
// Pages that must change live have polling off and wait at most 3 s: only the stream can do it.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AGENTS, MANAGER, cleanup, launchBrowser, newPage, screenshot, signIn, startCallq,
} from './lib/harness.mjs';

describe('console', () => {
  let server;
  let browser;
  let manager; // the manager's page, kept open and not polling: later steps check it updates live

  before(async () => {
    server = await startCallq({ label: 'console' });
    browser = await launchBrowser();
  });
  after(cleanup);

  it('refuses a wrong password and says so', async () => {
    const page = await newPage(browser);
    await page.goto(server.url + '/');
    await page.getByLabel('Name').fill(MANAGER.name);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong name or password' }).waitFor();
    await screenshot(page, 'login-refused');
    await page.context().close();
  });

  it('lands a manager on the queues dashboard, live', async () => {
    manager = await newPage(browser, { polling: false });
    await signIn(manager, server, MANAGER.name, MANAGER.password);
    await manager.waitForURL(/#\/queues$/);
    await manager.getByRole('heading', { name: 'Queues', level: 1 }).waitFor();
    assert.match(await manager.locator('.topbar').innerText(), new RegExp(MANAGER.name));
    await manager.getByRole('status', { name: 'Live updates: Live' }).waitFor({ timeout: 10000 });

    const sales = manager.locator('tr[data-queue="sales"]');
    await sales.waitFor();
    const cells = await sales.locator('td').allInnerTexts();
    assert.match(cells[0], /^sales/);
    assert.equal(cells[1].trim(), '600');
    assert.equal(cells[2].trim(), '*41600');
    assert.equal(cells[3].trim(), '*42600');
    // Static members are always shown connected; dynamic ones only once logged in.
    const connected = sales.getByRole('list', { name: 'Agents connected to sales' });
    assert.match(await connected.innerText(), /Alice Martin/);
    assert.doesNotMatch(await connected.innerText(), /Bob Durand/);
    assert.equal((await sales.getByLabel('No one waiting in sales').innerText()).trim(), '0');
    await screenshot(manager, 'dashboard');
  });

  it('connects an agent from the dashboard and disconnects it', async () => {
    const sales = manager.locator('tr[data-queue="sales"]');
    await manager.getByRole('button', { name: 'Connect an agent to sales' }).click();
    const dialog = manager.getByRole('dialog', { name: 'Connect an agent to sales' });
    await dialog.getByLabel('Agent').selectOption('bob');
    await screenshot(manager, 'connect-dialog');
    await dialog.getByRole('button', { name: 'Connect' }).click();
    await dialog.waitFor({ state: 'detached' });
    const bob = sales.getByRole('list', { name: 'Agents connected to sales' }).locator('li', { hasText: 'Bob Durand' });
    await bob.waitFor();
    assert.match(await bob.innerText(), /Ready/);
    const api = await server.api('GET', '/agents/bob');
    assert.equal(api.body.queues.find((q) => q.queue === 'sales').logged_in, true);
    await screenshot(manager, 'dashboard-bob-connected');

    await manager.getByRole('button', { name: 'Disconnect Bob Durand from sales' }).click();
    await bob.waitFor({ state: 'detached' });
    const after = await server.api('GET', '/agents/bob');
    assert.equal(after.body.queues.find((q) => q.queue === 'sales').logged_in, false);
    // A static member cannot be disconnected: no button for it.
    assert.equal(await manager.getByRole('button', { name: 'Disconnect Alice Martin from sales' }).count(), 0);
  });

  it('shows on the dashboard, live, what an agent does in its widget', async () => {
    const page = await newPage(browser, { width: 1100 });
    await signIn(page, server, 'alice', AGENTS.alice.password);
    await page.waitForURL(/#\/widget$/);
    await page.getByRole('heading', { name: 'My queues' }).waitFor();
    const alice = manager.locator('tr[data-queue="sales"] li', { hasText: 'Alice Martin' });

    await page.getByLabel('Presence').selectOption({ label: 'Withdrawn: lunch' });
    await alice.getByText('Withdrawn: lunch').waitFor({ timeout: 3000 });
    await page.locator('.widget-head .badge', { hasText: 'Withdrawn: lunch' }).waitFor();
    await screenshot(manager, 'dashboard-alice-withdrawn');
    await screenshot(page, 'widget-withdrawn');

    await page.getByLabel('Presence').selectOption({ label: 'Not available' });
    await alice.getByText('Not available').waitFor({ timeout: 3000 });
    await page.getByLabel('Presence').selectOption({ label: 'Ready' });
    await alice.getByText('Ready').waitFor({ timeout: 3000 });
    await page.context().close();
  });

  it('lets an agent log in and out of its queues from the widget', async () => {
    const page = await newPage(browser, { width: 360, height: 740 });
    await signIn(page, server, 'bob', AGENTS.bob.password);
    await page.waitForURL(/#\/widget$/);
    const row = page.locator('li[data-queue="sales"]');
    await row.getByRole('button', { name: 'Log in to sales' }).click();
    await row.getByRole('button', { name: 'Log out of sales' }).waitFor();
    await manager.locator('tr[data-queue="sales"] li', { hasText: 'Bob Durand' }).waitFor({ timeout: 3000 });
    // The widget fits a 360 px side panel: nothing wider than the viewport.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the widget is ${overflow} px wider than 360 px`);
    await screenshot(page, 'widget-narrow');

    await row.getByRole('button', { name: 'Log out of sales' }).click();
    await row.getByRole('button', { name: 'Log in to sales' }).waitFor();
    await manager.locator('tr[data-queue="sales"] li', { hasText: 'Bob Durand' }).waitFor({ state: 'detached', timeout: 3000 });
    await page.context().close();
  });

  it('keeps agents to their widget and their own report', async () => {
    const page = await newPage(browser);
    await signIn(page, server, 'carol', AGENTS.carol.password);
    await page.waitForURL(/#\/widget$/);
    const nav = page.getByRole('navigation', { name: 'Main' });
    assert.deepEqual((await nav.getByRole('link').allInnerTexts()).map((t) => t.trim()), ['My phone', 'My report']);
    await page.goto(server.url + '/#/queues');
    await page.waitForURL(/#\/widget$/);
    // Her queues only: carol is in sales (level 1) and support (static).
    await page.locator('.widget-queues li').nth(1).waitFor();
    const queues = await page.locator('.widget-queues li .cell-title').allInnerTexts();
    assert.deepEqual(queues.map((q) => q.trim()).sort(), ['sales', 'support']);
    await nav.getByRole('link', { name: 'My report' }).click();
    await page.getByRole('heading', { name: 'My report' }).waitFor();
    assert.equal(await page.getByLabel('Agent', { exact: true }).count(), 0, 'an agent cannot pick another agent');
    await page.getByRole('button', { name: /sign out/i }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    const me = await page.evaluate(async () => (await fetch('/api/v1/me')).status);
    assert.equal(me, 401);
    await page.context().close();
  });

  it('shows the stream reconnecting, and live again', async () => {
    const page = await newPage(browser, { polling: false });
    // Keep the page's WebSockets reachable from the test, to drop them.
    await page.addInitScript(() => {
      const Native = window.WebSocket;
      window.__sockets = [];
      window.WebSocket = class extends Native {
        constructor(...args) {
          super(...args);
          window.__sockets.push(this);
        }
      };
    });
    await signIn(page, server, MANAGER.name, MANAGER.password);
    const live = page.getByRole('status', { name: /^Live updates:/ });
    await page.getByRole('status', { name: 'Live updates: Live' }).waitFor({ timeout: 10000 });
    await page.evaluate(() => window.__sockets.forEach((s) => s.close()));
    await page.getByRole('status', { name: 'Live updates: Reconnecting…' }).waitFor({ timeout: 5000 });
    await page.getByRole('status', { name: 'Live updates: Live' }).waitFor({ timeout: 10000 });
    assert.equal(await live.count(), 1);
    // Still live for real: a change made elsewhere shows without reloading.
    await page.locator('tr[data-queue="support"]').waitFor();
    const dave = page.locator('tr[data-queue="support"] li', { hasText: 'Dave Okafor' });
    assert.equal(await dave.count(), 0, 'dave is dynamic and logged out: not shown');
    await server.api('PUT', '/agents/dave/presence', { presence: 'withdrawn', reason: 'training' });
    await server.api('PUT', '/queues/support/members/dave');
    await dave.getByText('Withdrawn: training').waitFor({ timeout: 3000 });
    await page.context().close();
  });
});
