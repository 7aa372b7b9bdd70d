// The queue editor against /api/v1/config/queues: create a queue, a value refused with its error
// next to the field (found by the page, and found by the server, also for values the page let
// through), edit, delete; agents and withdraw reasons too.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MANAGER, cleanup, launchBrowser, newPage, screenshot, signIn, startCallq } from './lib/harness.mjs';

/** The error shown under the field labelled `label`. */
function fieldError(page, id) {
  return page.locator(`.field[data-field="${id}"] .field-error`);
}

describe('queue editor', () => {
  let server;
  let browser;
  let page;

  before(async () => {
    server = await startCallq({ label: 'editor' });
    browser = await launchBrowser();
    page = await newPage(browser, { width: 1280, height: 900 });
    await signIn(page, server, MANAGER.name, MANAGER.password);
  });
  after(cleanup);

  it('creates a queue from the editor', async () => {
    await page.getByRole('link', { name: 'New queue' }).click();
    await page.waitForURL(/#\/queues\/new$/);
    await page.getByLabel('Name', { exact: true }).fill('billing');
    await page.getByLabel('Extension', { exact: true }).fill('700');
    await page.getByLabel('Strategy').selectOption('linear');
    await page.getByLabel('Ring time (seconds)').fill('20');
    await page.getByLabel('Wrap-up time (seconds)').fill('10');
    await page.getByLabel('Wait time when nobody is connected (seconds)').fill('30');
    await page.getByLabel('Overflow action', { exact: true }).selectOption('queue');
    await page.getByLabel('Overflow action: queue').selectOption('support');
    await page.getByLabel('Add member').selectOption('bob');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByLabel('Static bob').check();
    await page.getByLabel('Add member').selectOption('dave');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByLabel('Level of dave').fill('2');
    await screenshot(page, 'editor-new');
    await page.getByRole('button', { name: 'Create queue' }).click();

    await page.waitForURL(/#\/queues$/);
    const row = page.locator('tr[data-queue="billing"]');
    await row.waitFor();
    const cells = await row.locator('td').allInnerTexts();
    assert.equal(cells[1].trim(), '700');
    assert.equal(cells[2].trim(), '*41700');
    assert.equal(cells[3].trim(), '*42700');
    assert.match(await row.getByRole('list', { name: 'Agents connected to billing' }).innerText(), /Bob Durand/);

    const stored = await server.api('GET', '/config/queues/billing');
    assert.equal(stored.status, 200);
    assert.equal(stored.body.strategy, 'linear');
    assert.equal(stored.body.ring_time, 20);
    assert.equal(stored.body.wrap_up, 10);
    assert.equal(stored.body.wait_time_empty, 30);
    assert.equal(stored.body.wait_time_withdrawn, null);
    assert.equal(stored.body.overflow_action, 'queue:support');
    assert.deepEqual(stored.body.members, [
      { agent: 'bob', level: 0, static: true },
      { agent: 'dave', level: 2, static: false },
    ]);
  });

  it('shows a refused value next to its field, from the page and from the server', async () => {
    await page.getByRole('link', { name: 'Edit billing' }).click();
    await page.waitForURL(/#\/queues\/billing\/edit$/);
    const ring = page.getByLabel('Ring time (seconds)');
    assert.equal(await ring.inputValue(), '20');
    assert.equal(await page.getByLabel('Name', { exact: true }).isDisabled(), true, 'a queue cannot be renamed');

    // Found by the page, as `callq check` words it.
    await ring.fill('0');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await fieldError(page, 'q-ring_time').getByText('ring_time: must be greater than 0').waitFor();
    assert.equal(await ring.getAttribute('aria-invalid'), 'true');
    await screenshot(page, 'editor-refused-page');
    await ring.fill('25');
    assert.equal(await fieldError(page, 'q-ring_time').count(), 0, 'the error goes once the field changes');

    // Found by the server: an extension taken after the editor opened.
    const taken = await server.api('POST', '/config/queues', { name: 'late', extension: '777' });
    assert.equal(taken.status, 201, JSON.stringify(taken.body));
    await page.getByLabel('Extension', { exact: true }).fill('777');
    await page.getByRole('button', { name: 'Save changes' }).click();
    const error = fieldError(page, 'q-extension');
    await error.waitFor();
    assert.match(await error.innerText(), /777/);
    assert.equal(await page.getByLabel('Extension', { exact: true }).getAttribute('aria-invalid'), 'true');
    await page.getByRole('alert').filter({ hasText: '777' }).first().waitFor();
    await screenshot(page, 'editor-refused-server');
    const unchanged = await server.api('GET', '/config/queues/billing');
    assert.equal(unchanged.body.extension, '700');
    assert.equal(unchanged.body.ring_time, 20);

    // Fixed: saved.
    await page.getByLabel('Extension', { exact: true }).fill('710');
    assert.equal(await page.getByLabel('Connection code', { exact: true }).inputValue(), '*41710', 'the codes follow the extension');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(/#\/queues$/);
    const row = page.locator('tr[data-queue="billing"]');
    await row.locator('td').nth(1).getByText('710').waitFor();
    const saved = await server.api('GET', '/config/queues/billing');
    assert.equal(saved.body.ring_time, 25);
    assert.equal(saved.body.login_code, '*41710');
  });

  it("shows the server's reason next to the field for values the page let through", async () => {
    // As if the page's checks had missed them: each value is put into the save request on its way.
    await page.getByRole('link', { name: 'Edit billing' }).click();
    await page.waitForURL(/#\/queues\/billing\/edit$/);
    for (const [key, value] of [['ring_time', 0], ['weight', -1], ['timeout_action', 'number:+1']]) {
      let refusal = null;
      await page.route('**/api/v1/config/queues/billing', async (route) => {
        if (route.request().method() !== 'PUT') return route.continue();
        const response = await route.fetch({ postData: JSON.stringify({ ...route.request().postDataJSON(), [key]: value }) });
        refusal = (await response.json()).error;
        return route.fulfill({ response });
      });
      await page.getByRole('button', { name: 'Save changes' }).click();
      const error = fieldError(page, `q-${key}`);
      await error.waitFor();
      await page.unroute('**/api/v1/config/queues/billing');
      assert.equal(refusal?.field, key, JSON.stringify(refusal));
      assert.equal((await error.innerText()).trim(), refusal.reason);
      assert.equal(await page.locator('.field-invalid').count(), 1, `only ${key} is marked`);
    }
    await screenshot(page, 'editor-refused-server-number');
    const unchanged = (await server.api('GET', '/config/queues/billing')).body;
    assert.deepEqual([unchanged.ring_time, unchanged.weight, unchanged.timeout_action], [25, 1, 'hangup']);
    await page.getByRole('link', { name: 'Cancel' }).click();
    await page.waitForURL(/#\/queues$/);
  });

  it('deletes a queue from the dashboard', async () => {
    await page.getByRole('button', { name: 'Delete late' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete queue late?' });
    await dialog.getByRole('button', { name: 'Delete queue' }).click();
    await page.locator('tr[data-queue="late"]').waitFor({ state: 'detached' });
    assert.equal((await server.api('GET', '/queues/late')).status, 404);

    await page.getByRole('button', { name: 'Delete billing' }).click();
    await page.getByRole('dialog', { name: 'Delete queue billing?' }).getByRole('button', { name: 'Delete queue' }).click();
    await page.locator('tr[data-queue="billing"]').waitFor({ state: 'detached' });
    assert.deepEqual((await server.api('GET', '/queues')).body.queues.map((q) => q.name), ['sales', 'support']);
  });

  it('adds, edits and deletes an agent', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Agents' }).click();
    await page.getByRole('button', { name: 'Add agent' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add agent' });
    await dialog.getByLabel('Login id').fill('erin');
    await dialog.getByLabel('Display name').fill('Erin Kowalski');
    await dialog.getByLabel('Extension').fill('201'); // alice's
    await dialog.getByLabel('SIP password').fill('pw-erin');
    await dialog.getByRole('button', { name: 'Add agent' }).click();
    await dialog.locator('#agent-extension-error').filter({ hasText: '201' }).waitFor();
    await screenshot(page, 'agent-refused');
    await dialog.getByLabel('Extension').fill('205');
    await dialog.getByRole('button', { name: 'Add agent' }).click();
    await dialog.waitFor({ state: 'detached' });
    const row = page.locator('tr[data-agent="erin"]');
    await row.locator('.cell-title', { hasText: 'Erin Kowalski' }).waitFor();

    await page.getByRole('button', { name: 'Edit agent erin' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit agent erin' });
    await edit.getByLabel('Display name').fill('Erin K.');
    await edit.getByRole('button', { name: 'Save' }).click();
    await row.locator('.cell-title', { hasText: 'Erin K.' }).waitFor();

    await page.getByRole('button', { name: 'Delete agent erin' }).click();
    await page.getByRole('dialog', { name: 'Delete agent erin?' }).getByRole('button', { name: 'Delete agent' }).click();
    await row.waitFor({ state: 'detached' });
    assert.equal((await server.api('GET', '/agents/erin')).status, 404);
  });

  it('edits the withdraw reasons', async () => {
    const card = page.getByRole('region', { name: 'Withdraw reasons' });
    await card.getByRole('button', { name: 'Remove reason training' }).click();
    await card.getByLabel('New reason').fill('meeting');
    await card.getByRole('button', { name: 'Add', exact: true }).click();
    await card.getByRole('button', { name: 'Save reasons' }).click();
    await page.getByText('Withdraw reasons saved').waitFor();
    assert.deepEqual((await server.api('GET', '/reasons')).body.reasons, ['lunch', 'back office', 'meeting']);
    // The presence menus offer the new list.
    const options = await page.getByLabel('Presence of Alice Martin').locator('option').allInnerTexts();
    assert.deepEqual(options, ['Ready', 'Withdrawn: lunch', 'Withdrawn: back office', 'Withdrawn: meeting', 'Not available']);
    await screenshot(page, 'agents-reasons');
  });
});
