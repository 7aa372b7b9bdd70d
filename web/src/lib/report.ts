// Report filters: the parameters of GET /api/v1/events and /stats (docs/api.md), kept in the
// page's hash so a report can be linked and reloaded. Pure functions.

import type { QueueStatsRow } from './api';

/** Every event type, with what it means (the wording of the Axivox report's event list). */
export const EVENT_TYPES: ReadonlyArray<{ type: string; label: string }> = [
  { type: 'ENTERQUEUE', label: 'Someone is entering the queue' },
  { type: 'CONNECT', label: 'The caller is connected to an agent' },
  { type: 'ABANDON', label: 'The caller quit' },
  { type: 'EXITEMPTY', label: 'The caller exits the queue (no agent is connected)' },
  { type: 'EXITWITHTIMEOUT', label: 'The caller exits the queue (timeout)' },
  { type: 'EXITWITHKEY', label: 'The caller left with a key' },
  { type: 'JOINREFUSED', label: 'The caller was refused (queue full or empty)' },
  { type: 'RINGNOANSWER', label: 'No one is answering' },
  { type: 'RINGCANCELED', label: 'No one is answering, the caller hangs up' },
  { type: 'COMPLETEAGENT', label: 'The call was terminated (agent hangs up)' },
  { type: 'COMPLETECALLER', label: 'The call was terminated (caller hangs up)' },
  { type: 'ATTENDEDTRANSFER', label: 'Transfer' },
  { type: 'BLINDTRANSFER', label: 'Blind transfer' },
  { type: 'ADDMEMBER', label: 'An agent is connecting' },
  { type: 'REMOVEMEMBER', label: 'An agent is disconnecting' },
  { type: 'PAUSE', label: 'An agent withdraws' },
  { type: 'UNPAUSE', label: 'An agent is ready again' },
  { type: 'UNAVAILABLE', label: 'An agent is not available' },
  { type: 'SERVERRESTART', label: 'The server restarted' },
];

export const ALL_TYPES: readonly string[] = EVENT_TYPES.map((t) => t.type);

export const PERIODS: ReadonlyArray<{ value: string; label: string }> = [
  { value: 'today', label: 'Today' },
  { value: 'yesterday', label: 'Yesterday' },
  { value: 'this-week', label: 'This week' },
  { value: 'last-7-days', label: 'Last 7 days' },
  { value: 'this-month', label: 'This month' },
  { value: 'last-month', label: 'Last month' },
  { value: 'custom', label: 'Custom range' },
];

export type Interval = '15min' | 'hour' | 'day';

export interface ReportFilters {
  period: string; // a preset, or "custom" for from/to
  from: string; // datetime-local value, "2026-11-21T08:00"
  to: string;
  types: string[]; // empty = every type
  queue: string;
  agent: string;
  call: string;
  interval: Interval | '';
}

export const DEFAULT_FILTERS: ReportFilters = {
  period: 'today',
  from: '',
  to: '',
  types: [],
  queue: '',
  agent: '',
  call: '',
  interval: '',
};

/**
 * Filters from the hash's query (#/reports?period=today&type=CONNECT,ABANDON&queue=sales). Types
 * are kept as given, known or not: the server refuses an unknown one, where dropping it would
 * silently widen the report to every type.
 */
export function filtersFromQuery(q: URLSearchParams): ReportFilters {
  const types = (q.get('type') ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  const interval = q.get('interval') ?? '';
  const hasRange = q.has('from') || q.has('to');
  return {
    period: q.get('period') ?? (hasRange ? 'custom' : 'today'),
    from: q.get('from') ?? '',
    to: q.get('to') ?? '',
    types,
    queue: q.get('queue') ?? '',
    agent: q.get('agent') ?? '',
    call: q.get('call') ?? '',
    interval: interval === '15min' || interval === 'hour' || interval === 'day' ? interval : '',
  };
}

/** "+01:00" for a UTC offset of -60 minutes (Date.getTimezoneOffset's sign). */
export function zoneSuffix(offsetMinutes: number): string {
  const east = -offsetMinutes;
  const sign = east >= 0 ? '+' : '-';
  const m = Math.abs(east);
  return `${sign}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** A datetime-local value ("2026-11-21T08:00") as the API's time with the browser's zone. */
export function apiTime(local: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(local);
  if (!m) {
    return local;
  }
  const [, y, mo, d, h = '00', mi = '00', s = '00'] = m;
  const date = new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  return `${y}-${mo}-${d}T${h}:${mi}:${s}${zoneSuffix(date.getTimezoneOffset())}`;
}

export interface FilterProblem {
  field: string;
  reason: string;
}

/** What is wrong with the filters before asking the server, or null. */
export function checkFilters(f: ReportFilters): FilterProblem | null {
  if (f.period === 'custom') {
    if (!f.from && !f.to) return { field: 'from', reason: 'give a start or an end, or pick a period' };
    if (f.from && f.to && f.to <= f.from) return { field: 'to', reason: 'must be after from' };
  }
  if (f.call && !/^[1-9]\d*$/.test(f.call.trim())) {
    return { field: 'call', reason: 'a call id is a whole number like 12' };
  }
  return null;
}

/** The filters each query takes: the page's hash, GET /api/v1/events (and events.csv), the statistics. */
const TAKES = {
  hash: ['type', 'queue', 'agent', 'call', 'interval'],
  events: ['type', 'queue', 'agent', 'call'],
  queueStats: ['queue'],
  agentStats: ['agent'],
} as const;

/**
 * The query for these filters (no types: every type). The hash keeps from/to as typed; the API
 * gets them with the browser's zone. `extra` adds paging (limit, after) or the statistics'
 * interval.
 */
export function reportQuery(
  f: ReportFilters,
  target: keyof typeof TAKES,
  extra: Record<string, string | number | null | undefined> = {},
): string {
  const q = new URLSearchParams();
  const time = target === 'hash' ? (t: string) => t : apiTime;
  if (f.period === 'custom') {
    if (f.from) q.set('from', time(f.from));
    if (f.to) q.set('to', time(f.to));
  } else {
    q.set('period', f.period);
  }
  const values = { type: f.types.join(','), queue: f.queue, agent: f.agent, call: f.call.trim(), interval: f.interval };
  for (const key of TAKES[target]) {
    if (values[key]) q.set(key, values[key]);
  }
  for (const [key, value] of Object.entries(extra)) {
    if (value !== undefined && value !== null && value !== '') q.set(key, String(value));
  }
  return q.toString();
}

/** The interval of the charts when the user did not pick one: hours for a day, days beyond. */
export function autoInterval(f: ReportFilters): Interval {
  if (f.interval) return f.interval;
  if (f.period === 'today' || f.period === 'yesterday') return 'hour';
  if (f.period === 'custom') {
    const from = f.from ? Date.parse(f.from) : NaN;
    const to = f.to ? Date.parse(f.to) : Date.now();
    if (Number.isFinite(from) && to - from <= 2 * 86400_000) return 'hour';
  }
  return 'day';
}

export interface Bucket {
  start_ms: number;
  start: string;
  offered: number;
  answered: number;
  abandoned: number;
  other: number;
  answered_within_sl: number;
  service_level: number | null;
}

/** Queue rows summed per interval start (every queue together), in time order. */
export function bucketsOf(rows: readonly QueueStatsRow[]): Bucket[] {
  const map = new Map<number, Bucket & { slWeighted: number; slBase: number }>();
  for (const r of rows) {
    let b = map.get(r.start_ms);
    if (!b) {
      b = {
        start_ms: r.start_ms,
        start: r.start,
        offered: 0,
        answered: 0,
        abandoned: 0,
        other: 0,
        answered_within_sl: 0,
        service_level: null,
        slWeighted: 0,
        slBase: 0,
      };
      map.set(r.start_ms, b);
    }
    b.offered += r.offered ?? 0;
    b.answered += r.answered ?? 0;
    b.abandoned += r.abandoned ?? 0;
    b.answered_within_sl += r.answered_within_sl ?? 0;
    if (typeof r.service_level === 'number' && Number.isFinite(r.service_level) && r.offered > 0) {
      b.slWeighted += r.service_level * r.offered;
      b.slBase += r.offered;
    }
  }
  const out: Bucket[] = [];
  for (const b of [...map.values()].sort((x, y) => x.start_ms - y.start_ms)) {
    const { slWeighted, slBase, ...rest } = b;
    rest.other = Math.max(0, rest.offered - rest.answered - rest.abandoned);
    rest.service_level = slBase > 0 ? slWeighted / slBase : null;
    out.push(rest);
  }
  return out;
}

export interface Totals {
  offered: number;
  answered: number;
  abandoned: number;
  service_level: number | null;
  asa_s: number | null;
  aht_s: number | null;
  longest_wait_s: number | null;
}

/** Figures over several queue rows (weighted by calls where the figure is an average). */
export function totalsOf(rows: readonly QueueStatsRow[]): Totals {
  let offered = 0;
  let answered = 0;
  let abandoned = 0;
  let sl = 0;
  let slBase = 0;
  let asa = 0;
  let asaBase = 0;
  let aht = 0;
  let ahtBase = 0;
  let longest: number | null = null;
  for (const r of rows) {
    offered += r.offered ?? 0;
    answered += r.answered ?? 0;
    abandoned += r.abandoned ?? 0;
    if (typeof r.service_level === 'number' && r.offered > 0) {
      sl += r.service_level * r.offered;
      slBase += r.offered;
    }
    if (typeof r.asa_s === 'number' && r.answered > 0) {
      asa += r.asa_s * r.answered;
      asaBase += r.answered;
    }
    const handled = r.handled ?? r.answered;
    if (typeof r.aht_s === 'number' && handled > 0) {
      aht += r.aht_s * handled;
      ahtBase += handled;
    }
    if (typeof r.longest_wait_s === 'number') {
      longest = longest === null ? r.longest_wait_s : Math.max(longest, r.longest_wait_s);
    }
  }
  return {
    offered,
    answered,
    abandoned,
    service_level: slBase > 0 ? sl / slBase : null,
    asa_s: asaBase > 0 ? asa / asaBase : null,
    aht_s: ahtBase > 0 ? aht / ahtBase : null,
    longest_wait_s: longest,
  };
}

/** A short label for an interval start: "14:00" for hours and quarters, "Nov 21" for days. */
export function bucketLabel(startMs: number, interval: Interval): string {
  const d = new Date(startMs);
  if (interval === 'day') {
    return d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
  }
  return d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

/** A file name for an export: callq-events-today.csv, callq-events-2026-11-21T08-00_2026-11-22.csv. */
export function csvFileName(f: ReportFilters): string {
  const when = f.period === 'custom' ? `${f.from || 'start'}_${f.to || 'now'}` : f.period;
  const parts = ['callq-events', when.replace(/:/g, '-')];
  if (f.queue) parts.push(f.queue);
  if (f.agent) parts.push(f.agent);
  if (f.call) parts.push(`call-${f.call}`);
  return parts.join('-').replace(/[^A-Za-z0-9._-]+/g, '_') + '.csv';
}

/** [from, to) of the filters in the browser's zone (the server uses its own; usually the same). */
export function periodBounds(f: ReportFilters, now: Date): { from: number; to: number } | null {
  const y = now.getFullYear();
  const m = now.getMonth();
  const d = now.getDate();
  const monday = d - ((now.getDay() + 6) % 7);
  const at = (mon: number, day: number) => new Date(y, mon, day).getTime();
  switch (f.period) {
    case 'today': return { from: at(m, d), to: at(m, d + 1) };
    case 'yesterday': return { from: at(m, d - 1), to: at(m, d) };
    case 'this-week': return { from: at(m, monday), to: at(m, monday + 7) };
    case 'last-7-days': return { from: at(m, d - 6), to: at(m, d + 1) };
    case 'this-month': return { from: at(m, 1), to: at(m + 1, 1) };
    case 'last-month': return { from: at(m - 1, 1), to: at(m, 1) };
    case 'custom': {
      const from = f.from ? Date.parse(f.from) : NaN;
      const to = f.to ? Date.parse(f.to) : now.getTime();
      return Number.isFinite(from) && Number.isFinite(to) && to > from ? { from, to } : null;
    }
    default: return null;
  }
}

const STEP_MS: Record<Interval, number> = { '15min': 15 * 60_000, hour: 3_600_000, day: 86_400_000 };

/** Interval starts covering [from, min(to, now)]: fixed steps, or local midnights for days. */
export function intervalStarts(interval: Interval, from: number, to: number): number[] {
  const out: number[] = [];
  if (interval === 'day') {
    const d = new Date(from);
    let t = new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
    for (let i = 0; t < to && i < 400; i++) {
      out.push(t);
      const n = new Date(t);
      t = new Date(n.getFullYear(), n.getMonth(), n.getDate() + 1).getTime();
    }
    return out;
  }
  const step = STEP_MS[interval];
  for (let t = Math.floor(from / step) * step, i = 0; t < to && i < 3000; t += step, i++) out.push(t);
  return out;
}

/**
 * The buckets with the empty intervals of the period added (zero calls, no service level), so a
 * chart shows the whole period. Left as they are when the server's intervals do not line up
 * with the browser's (another time zone).
 */
export function fillBuckets(buckets: Bucket[], interval: Interval, bounds: { from: number; to: number } | null, nowMs: number): Bucket[] {
  if (!bounds) return buckets;
  const end = Math.min(bounds.to, nowMs + 1);
  const starts = intervalStarts(interval, bounds.from, end);
  const set = new Set(starts);
  if (starts.length === 0 || buckets.some((b) => !set.has(b.start_ms))) return buckets;
  const byStart = new Map(buckets.map((b) => [b.start_ms, b]));
  return starts.map((t) => byStart.get(t) ?? {
    start_ms: t, start: new Date(t).toISOString(), offered: 0, answered: 0, abandoned: 0, other: 0,
    answered_within_sl: 0, service_level: null,
  });
}
