import { describe, expect, it } from 'vitest';
import { destinationProblem, fieldOfError, formFromSettings, newQueueForm, validateQueueForm, type ValidationContext } from './validate';

const ctx: ValidationContext = {
  agents: [{ id: 'alice', extension: '201' }, { id: 'bob', extension: '202' }],
  queues: [{ name: 'support', extension: '601', login_code: '*41601', logout_code: '*42601' }],
  music: ['ringback', 'jazz'],
  strategies: ['ring-all', 'linear'],
};

function form(patch: Record<string, unknown> = {}) {
  return { ...newQueueForm(), name: 'sales', extension: '600', ...patch };
}

describe('queue validation', () => {
  it('accepts the defaults and fills the settings', () => {
    const v = validateQueueForm(form({ members: [{ agent: 'alice', level: '0', static: true }] }), ctx);
    expect(v.errors).toEqual({});
    expect(v.settings).toMatchObject({
      name: 'sales', extension: '600', login_code: null, logout_code: null, strategy: 'ring-all', ring_time: 15,
      retry: 5, wrap_up: 0, weight: 1, wait_time_withdrawn: null, wait_time_empty: null, join_empty: 'allow',
      timeout_action: 'hangup', overflow_action: 'hangup', exit_keys: {}, stats_window: 86400, hold_audio: 'ringback',
      members: [{ agent: 'alice', level: 0, static: true }],
    });
  });

  it('words errors as callq check does, per field', () => {
    const v = validateQueueForm(form({ ring_time: '0', retry: '-1', wrap_up: '2.5', weight: '0', stats_window: '0', max_callers: 'x' }), ctx);
    expect(v.settings).toBeNull();
    expect(v.errors.ring_time).toBe('ring_time: must be greater than 0');
    expect(v.errors.retry).toBe('retry: must not be negative');
    expect(v.errors.wrap_up).toBe('wrap_up: expected an integer number of seconds');
    expect(v.errors.weight).toBe('weight: must be a finite number greater than 0');
    expect(v.errors.stats_window).toBe('stats_window: must be greater than 0');
    expect(v.errors.max_callers).toBe('max_callers: expected an integer');
    expect(validateQueueForm(form({ max_wait: '31536001' }), ctx).errors.max_wait).toBe('max_wait: must be at most 31536000 seconds (365 days)');
  });

  it('requires a unique name and a dialable extension', () => {
    expect(validateQueueForm(form({ name: ' ' }), ctx).errors.name).toBe('name: required');
    expect(validateQueueForm(form({ name: 'support' }), ctx).errors.name).toMatch(/already used/);
    expect(validateQueueForm(form({ extension: '60a' }), ctx).errors.extension).toBe("extension: '60a' is not dialable (use up to 32 digits, '*' and '#')");
    expect(validateQueueForm(form({ login_code: 'abc' }), ctx).errors.login_code).toMatch(/not dialable/);
  });

  it('keeps one dialling namespace', () => {
    expect(validateQueueForm(form({ extension: '201' }), ctx).errors.extension).toBe("extension: '201' is already used as the extension of agent 'alice'");
    expect(validateQueueForm(form({ extension: '601' }), ctx).errors.extension).toMatch(/extension of queue 'support'/);
    expect(validateQueueForm(form({ login_code: '*41601' }), ctx).errors.login_code).toMatch(/login code of queue 'support'/);
    expect(validateQueueForm(form({ logout_code: '600' }), ctx).errors.logout_code).toMatch(/the extension of this queue/);
    // The default code of a new extension may collide too.
    const ctx2 = { ...ctx, agents: [...ctx.agents, { id: 'x', extension: '*41600' }] };
    expect(validateQueueForm(form(), ctx2).errors.login_code).toBe(
      `login_code: '*41600' (the default, "*41" + extension) is already used as the extension of agent 'x'`);
  });

  it('checks destinations and exit keys', () => {
    expect(validateQueueForm(form({ timeout_action: 'queue:sales' }), ctx).errors.timeout_action).toMatch(/cannot send its callers to itself/);
    expect(validateQueueForm(form({ overflow_action: 'queue:nope' }), ctx).errors.overflow_action).toBe("overflow_action: unknown queue 'nope'");
    expect(validateQueueForm(form({ timeout_action: 'queue:support' }), ctx).errors).toEqual({});
    expect(validateQueueForm(form({ timeout_action: 'extension:' }), ctx).errors.timeout_action).toMatch(/needs a target/);
    expect(validateQueueForm(form({ exit_keys: [{ key: '1', action: 'wait' }] }), ctx).errors.exit_keys).toMatch(/"wait" is not a destination for a key/);
    expect(validateQueueForm(form({ exit_keys: [{ key: '1', action: 'hangup' }, { key: '1', action: 'hangup' }] }), ctx).errors.exit_keys).toMatch(/given twice/);
    expect(validateQueueForm(form({ exit_keys: [{ key: 'E', action: 'hangup' }] }), ctx).errors.exit_keys).toMatch(/not a key/);
    const ok = validateQueueForm(form({ exit_keys: [{ key: '9', action: 'queue:support' }] }), ctx);
    expect(ok.settings?.exit_keys).toEqual({ 9: 'queue:support' });
    expect(destinationProblem('number:0612')).toMatch(/not in \+<country><number> form/);
    // As the server: at least 2 digits, at most 15.
    expect(destinationProblem('number:+1')).toBe("number '+1' is not in +<country><number> form");
    expect(destinationProblem('number:+33')).toBeNull();
    expect(destinationProblem('number:+1234567890123456')).toMatch(/not in/);
    expect(destinationProblem('bogus')).toMatch(/unknown action/);
  });

  it('checks hold audio and members', () => {
    expect(validateQueueForm(form({ hold_audio: 'rock' }), ctx).errors.hold_audio).toBe(`hold_audio: no music class 'rock' in [music] (or use "ringback")`);
    expect(validateQueueForm(form({ members: [{ agent: 'zed', level: '0', static: false }] }), ctx).errors.members).toBe("members: unknown agent 'zed'");
    expect(validateQueueForm(form({ members: [{ agent: 'bob', level: '0', static: false }, { agent: 'bob', level: '1', static: false }] }), ctx).errors.members).toMatch(/listed twice/);
    expect(validateQueueForm(form({ members: [{ agent: 'bob', level: '-1', static: false }] }), ctx).errors.members).toMatch(/must not be negative/);
  });

  it('refuses the destinations the running server does not take yet, as it does', () => {
    // The server's words (config/server_config.cc checkServable), for every place a destination goes.
    const refused = "'voicemail' is not supported by this version of callq serve yet (use hangup, queue:<name> or extension:<ext>)";
    expect(validateQueueForm(form({ timeout_action: 'voicemail' }), ctx).errors.timeout_action).toBe(`timeout_action: ${refused}`);
    expect(validateQueueForm(form({ overflow_action: 'number:+33123456789' }), ctx).errors.overflow_action).toMatch(/not supported by this version of callq serve/);
    expect(validateQueueForm(form({ overflow_action: 'extension:201' }), ctx).errors.overflow_action).toBeUndefined();
  });

  it('reads stored settings, null meaning the default', () => {
    const f = formFromSettings({ name: 'q', extension: '7', ring_time: null as unknown as number, wait_time_empty: 0, exit_keys: { 1: 'hangup' } });
    expect(f.ring_time).toBe('15');
    expect(f.wait_time_empty).toBe('0');
    expect(f.wait_time_withdrawn).toBe('');
    expect(f.exit_keys).toEqual([{ key: '1', action: 'hangup' }]);
  });

  it("checks the strategy against the server's list", () => {
    expect(validateQueueForm(form({ strategy: 'random' }), ctx).errors.strategy).toBe(
      "strategy: unknown strategy 'random' (expected one of: ring-all, linear)");
  });

  it('maps API errors to a field', () => {
    expect(fieldOfError('ring_time')).toBe('ring_time');
    expect(fieldOfError('ring_count')).toBe('');
    expect(fieldOfError('')).toBe('');
    expect(fieldOfError('password')).toBe('');
  });
});
