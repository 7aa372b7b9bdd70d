// The queue editor's form, and its validation with the rules and words of `callq check`
// (src/config/queue_reader.cc, config_loader.cc, core/config.cc). The server checks again; this
// only spares a round trip and points at the field. Pure functions.

import type { MemberSettings, QueueSettings } from './api';

export const MAX_SECONDS = 365 * 24 * 3600;
const MAX_COUNT = 4294967295;
const MAX_LEVEL = 1_000_000;

export interface ExitKeyRow {
  key: string;
  action: string;
}

export interface MemberRow {
  agent: string;
  level: string;
  static: boolean;
}

/** The editor's fields as typed (numbers as text). */
export interface QueueForm {
  name: string;
  extension: string;
  login_code: string; // '' = the default, "*41" + extension
  logout_code: string;
  strategy: string;
  ring_time: string;
  retry: string;
  wrap_up: string;
  max_wait: string;
  max_callers: string;
  service_level: string;
  weight: string;
  max_no_answer: string;
  wait_time_withdrawn: string; // '' = no limit
  wait_time_empty: string;
  join_empty: 'allow' | 'refuse';
  timeout_action: string;
  overflow_action: string;
  exit_keys: ExitKeyRow[];
  stats_window: string;
  hold_audio: string;
  members: MemberRow[];
}

export const QUEUE_DEFAULTS: Omit<QueueSettings, 'name' | 'extension'> = {
  login_code: null,
  logout_code: null,
  strategy: 'ring-all',
  ring_time: 15,
  retry: 5,
  wrap_up: 0,
  max_wait: 0,
  max_callers: 0,
  service_level: 20,
  weight: 1,
  max_no_answer: 0,
  wait_time_withdrawn: null,
  wait_time_empty: null,
  join_empty: 'allow',
  timeout_action: 'hangup',
  overflow_action: 'hangup',
  exit_keys: {},
  stats_window: 86400,
  hold_audio: 'ringback',
  members: [],
};

function text(n: number | null | undefined, fallback: number | null): string {
  const v = n === null || n === undefined ? fallback : n;
  return v === null || v === undefined ? '' : String(v);
}

/** The form of stored settings; a missing or null field shows its default. */
export function formFromSettings(s: Partial<QueueSettings>): QueueForm {
  const d = QUEUE_DEFAULTS;
  return {
    name: s.name ?? '',
    extension: s.extension ?? '',
    login_code: s.login_code ?? '',
    logout_code: s.logout_code ?? '',
    strategy: s.strategy ?? d.strategy,
    ring_time: text(s.ring_time, d.ring_time),
    retry: text(s.retry, d.retry),
    wrap_up: text(s.wrap_up, d.wrap_up),
    max_wait: text(s.max_wait, d.max_wait),
    max_callers: text(s.max_callers, d.max_callers),
    service_level: text(s.service_level, d.service_level),
    weight: text(s.weight, d.weight),
    max_no_answer: text(s.max_no_answer, d.max_no_answer),
    wait_time_withdrawn: text(s.wait_time_withdrawn, null),
    wait_time_empty: text(s.wait_time_empty, null),
    join_empty: s.join_empty === 'refuse' ? 'refuse' : 'allow',
    timeout_action: s.timeout_action ?? d.timeout_action,
    overflow_action: s.overflow_action ?? d.overflow_action,
    exit_keys: Object.entries(s.exit_keys ?? {}).map(([key, action]) => ({ key, action })),
    stats_window: text(s.stats_window, d.stats_window),
    hold_audio: s.hold_audio ?? d.hold_audio,
    members: (s.members ?? []).map((m) => ({
      agent: m.agent,
      level: String(m.level ?? 0),
      static: Boolean(m.static),
    })),
  };
}

export function newQueueForm(): QueueForm {
  return formFromSettings({});
}

export interface ValidationContext {
  /** Every agent: id and extension. */
  agents: ReadonlyArray<{ id: string; extension: string }>;
  /** The other queues (not the one being edited). */
  queues: ReadonlyArray<{ name: string; extension: string; login_code?: string | null; logout_code?: string | null }>;
  /** The hold_audio values and the strategies, as GET /api/v1/config lists them. */
  music: readonly string[];
  strategies: readonly string[];
}

export type FieldErrors = Record<string, string>;

export function isDialable(s: string): boolean {
  return s.length > 0 && s.length <= 32 && /^[0-9*#]+$/.test(s);
}

export function isDialKey(k: string): boolean {
  return /^[0-9*#A-D]$/.test(k);
}

/** As core::isInternational: "+" and 2 to 15 digits (E.164). */
function isInternational(n: string): boolean {
  return /^\+[0-9]{2,15}$/.test(n);
}

/** The problem with a destination string, as core::parseDestination words it, or null. */
export function destinationProblem(d: string): string | null {
  const i = d.indexOf(':');
  const kind = i < 0 ? d : d.slice(0, i);
  const target = i < 0 ? '' : d.slice(i + 1);
  if (kind === 'hangup' || kind === 'wait') {
    return target ? `${kind} takes no target` : null;
  }
  if (kind === 'voicemail') return null;
  if (kind === 'extension' || kind === 'number' || kind === 'queue') {
    if (!target) return `${kind} needs a target, as in ${kind}:<target>`;
    if (kind === 'number' && !isInternational(target)) {
      return `number '${target}' is not in +<country><number> form`;
    }
    return null;
  }
  return (
    `unknown action '${d}' (expected hangup, voicemail[:box], extension:<ext>, ` +
    `number:+<digits>, queue:<name> or wait)`
  );
}

type Parsed = { ok: true; value: number } | { ok: false; reason: string };

function seconds(raw: string, min: number): Parsed {
  const t = raw.trim();
  if (!/^-?\d+$/.test(t)) {
    return { ok: false, reason: t === '' ? 'required (a whole number of seconds)' : 'expected an integer number of seconds' };
  }
  const v = Number(t);
  if (v < min) {
    return { ok: false, reason: min === 1 ? 'must be greater than 0' : 'must not be negative' };
  }
  if (v > MAX_SECONDS) {
    return { ok: false, reason: `must be at most ${MAX_SECONDS} seconds (365 days)` };
  }
  return { ok: true, value: v };
}

function integer(raw: string, min: number, max: number): Parsed {
  const t = raw.trim();
  if (!/^-?\d+$/.test(t)) {
    return { ok: false, reason: t === '' ? 'required (a whole number)' : 'expected an integer' };
  }
  const v = Number(t);
  if (v < min) return { ok: false, reason: min === 1 ? 'must be greater than 0' : 'must not be negative' };
  if (v > max) return { ok: false, reason: `must be at most ${max}` };
  return { ok: true, value: v };
}

export interface Validation {
  errors: FieldErrors;
  /** The settings to send, when there is no error. */
  settings: QueueSettings | null;
}

export function validateQueueForm(form: QueueForm, ctx: ValidationContext): Validation {
  const errors: FieldErrors = {};
  const fail = (field: string, reason: string) => {
    if (!errors[field]) errors[field] = `${field}: ${reason}`;
  };
  const name = form.name.trim();
  const extension = form.extension.trim();
  const loginCode = form.login_code.trim();
  const logoutCode = form.logout_code.trim();

  if (!name) fail('name', 'required');
  else if (ctx.queues.some((q) => q.name === name)) fail('name', `'${name}' is already used by another queue`);

  if (!extension) fail('extension', 'required');
  else if (!isDialable(extension)) fail('extension', `'${extension}' is not dialable (use up to 32 digits, '*' and '#')`);
  for (const [field, code] of [['login_code', loginCode], ['logout_code', logoutCode]] as const) {
    if (code && !isDialable(code)) fail(field, `'${code}' is not dialable (use up to 32 digits, '*' and '#')`);
  }

  // One dialling namespace: agents' and queues' extensions and the queues' codes.
  const taken = new Map<string, string>();
  for (const a of ctx.agents) taken.set(a.extension, `the extension of agent '${a.id}'`);
  for (const q of ctx.queues) {
    taken.set(q.extension, `the extension of queue '${q.name}'`);
    taken.set(q.login_code || `*41${q.extension}`, `the login code of queue '${q.name}'`);
    taken.set(q.logout_code || `*42${q.extension}`, `the logout code of queue '${q.name}'`);
  }
  const own: Array<[string, string, string, boolean]> = [
    ['extension', extension, 'extension', false],
    ['login_code', loginCode || (extension ? `*41${extension}` : ''), 'login code', !loginCode],
    ['logout_code', logoutCode || (extension ? `*42${extension}` : ''), 'logout code', !logoutCode],
  ];
  const mine = new Map<string, string>();
  for (const [field, number, what, defaulted] of own) {
    if (!number || errors[field]) continue;
    const clash = taken.get(number) ?? mine.get(number);
    if (clash) {
      const dflt = defaulted ? (field === 'login_code' ? ' (the default, "*41" + extension)' : ' (the default, "*42" + extension)') : '';
      fail(field, `'${number}'${dflt} is already used as ${clash}`);
    } else {
      mine.set(number, `the ${what} of this queue`);
    }
  }

  if (!ctx.strategies.includes(form.strategy)) {
    fail('strategy', `unknown strategy '${form.strategy}' (expected one of: ${ctx.strategies.join(', ')})`);
  }

  const nums: Record<string, number> = {};
  const secondsFields: Array<[keyof QueueForm & string, number]> = [
    ['ring_time', 1],
    ['retry', 0],
    ['wrap_up', 0],
    ['max_wait', 0],
    ['service_level', 0],
    ['stats_window', 1],
  ];
  for (const [field, min] of secondsFields) {
    const p = seconds(form[field] as string, min);
    if (p.ok) nums[field] = p.value;
    else fail(field, p.reason);
  }
  for (const field of ['max_callers', 'max_no_answer'] as const) {
    const p = integer(form[field], 0, MAX_COUNT);
    if (p.ok) nums[field] = p.value;
    else fail(field, p.reason);
  }
  const optional: Record<string, number | null> = {};
  for (const field of ['wait_time_withdrawn', 'wait_time_empty'] as const) {
    if (form[field].trim() === '') {
      optional[field] = null;
      continue;
    }
    const p = seconds(form[field], 0);
    if (p.ok) optional[field] = p.value;
    else fail(field, p.reason);
  }
  const weightText = form.weight.trim();
  const weight = weightText === '' ? NaN : Number(weightText);
  if (!Number.isFinite(weight) || weight <= 0) fail('weight', 'must be a finite number greater than 0');

  if (form.join_empty !== 'allow' && form.join_empty !== 'refuse') {
    fail('join_empty', `expected 'allow' or 'refuse', got '${form.join_empty}'`);
  }

  const queueNames = new Set(ctx.queues.map((q) => q.name));
  const checkTarget = (field: string, label: string, d: string) => {
    const problem = destinationProblem(d);
    if (problem) {
      fail(field, label ? `${label}${problem}` : problem);
      return;
    }
    // `callq check` takes these (the simulator does), the running server not yet (server_config.cc).
    if (d === 'voicemail' || d.startsWith('voicemail:') || d.startsWith('number:')) {
      fail(field, `${label}'${d}' is not supported by this version of callq serve yet ` +
        '(use hangup, queue:<name> or extension:<ext>)');
      return;
    }
    if (d.startsWith('queue:')) {
      const target = d.slice(6);
      if (target === name) {
        fail(field, `${label}a queue cannot send its callers to itself (use "wait" to keep them waiting)`);
      } else if (!queueNames.has(target)) {
        fail(field, `${label}unknown queue '${target}'`);
      }
    }
  };
  checkTarget('timeout_action', '', form.timeout_action);
  checkTarget('overflow_action', '', form.overflow_action);

  const exitKeys: Record<string, string> = {};
  for (const row of form.exit_keys) {
    const key = row.key.trim();
    if (!isDialKey(key)) {
      fail('exit_keys', `'${key}' is not a key (expected 0-9, *, # or A-D)`);
      continue;
    }
    if (key in exitKeys) {
      fail('exit_keys', `key '${key}' is given twice`);
      continue;
    }
    if (row.action === 'wait') {
      fail('exit_keys', `key '${key}': "wait" is not a destination for a key`);
      continue;
    }
    checkTarget('exit_keys', `key '${key}': `, row.action);
    exitKeys[key] = row.action;
  }

  const hold = form.hold_audio.trim();
  if (!hold) fail('hold_audio', 'must not be empty (use "ringback" or a music class name)');
  else if (!ctx.music.includes(hold)) {
    fail('hold_audio', `no music class '${hold}' in [music] (or use "ringback")`);
  }

  const agentIds = new Set(ctx.agents.map((a) => a.id));
  const seen = new Set<string>();
  const members: MemberSettings[] = [];
  for (const m of form.members) {
    if (!agentIds.has(m.agent)) {
      fail('members', `unknown agent '${m.agent}'`);
      continue;
    }
    if (seen.has(m.agent)) {
      fail('members', `agent '${m.agent}' is listed twice`);
      continue;
    }
    seen.add(m.agent);
    const level = integer(m.level, 0, MAX_LEVEL);
    if (!level.ok) {
      fail('members', `level of '${m.agent}' ${level.reason}`);
      continue;
    }
    members.push({ agent: m.agent, level: level.value, static: m.static });
  }

  if (Object.keys(errors).length > 0) {
    return { errors, settings: null };
  }
  return {
    errors,
    settings: {
      name,
      extension,
      login_code: loginCode || null,
      logout_code: logoutCode || null,
      strategy: form.strategy,
      ring_time: nums.ring_time,
      retry: nums.retry,
      wrap_up: nums.wrap_up,
      max_wait: nums.max_wait,
      max_callers: nums.max_callers,
      service_level: nums.service_level,
      weight,
      max_no_answer: nums.max_no_answer,
      wait_time_withdrawn: optional.wait_time_withdrawn,
      wait_time_empty: optional.wait_time_empty,
      join_empty: form.join_empty,
      timeout_action: form.timeout_action,
      overflow_action: form.overflow_action,
      exit_keys: exitKeys,
      stats_window: nums.stats_window,
      hold_audio: hold,
      members,
    },
  };
}

const FORM_FIELDS = new Set<string>([
  'name', 'extension', 'login_code', 'logout_code', 'strategy', 'ring_time', 'retry', 'wrap_up', 'max_wait',
  'max_callers', 'service_level', 'weight', 'max_no_answer', 'wait_time_withdrawn', 'wait_time_empty', 'join_empty',
  'timeout_action', 'overflow_action', 'exit_keys', 'stats_window', 'hold_audio', 'members',
]);

/** The form field an API error names (its `field`, the key at fault), or '' when none of ours. */
export function fieldOfError(field: string): string {
  return FORM_FIELDS.has(field) ? field : '';
}
