import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FILTERS, apiTime, bucketsOf, checkFilters, csvFileName, fillBuckets, filtersFromQuery, intervalStarts,
  reportQuery, totalsOf, zoneSuffix,
} from './report';
import type { QueueStatsRow } from './api';

const row = (p: Partial<QueueStatsRow>): QueueStatsRow => ({
  queue: 'sales', start: '', start_ms: 0, offered: 0, answered: 0, abandoned: 0, ...p,
});

describe('report filters', () => {
  it('round-trip through the hash query', () => {
    const f = { ...DEFAULT_FILTERS, period: 'yesterday', types: ['CONNECT', 'ABANDON'], queue: 'sales', call: '12', interval: 'day' as const };
    expect(filtersFromQuery(new URLSearchParams(reportQuery(f, 'hash')))).toEqual(f);
    expect(filtersFromQuery(new URLSearchParams('from=2026-11-21T08:00')).period).toBe('custom');
  });

  it('passes unknown event types through, for the server to refuse', () => {
    const f = filtersFromQuery(new URLSearchParams('type=CONNECT,TYPO'));
    expect(f.types).toEqual(['CONNECT', 'TYPO']);
    expect(new URLSearchParams(reportQuery(f, 'events')).get('type')).toBe('CONNECT,TYPO');
    expect(filtersFromQuery(new URLSearchParams('type=')).types).toEqual([]);
  });

  it('builds the events query; no types means no type filter', () => {
    const q = new URLSearchParams(reportQuery({ ...DEFAULT_FILTERS, types: ['CONNECT', 'ABANDON'], call: ' 7 ', interval: 'hour' }, 'events', { limit: 500, after: 42 }));
    expect(q.get('period')).toBe('today');
    expect(q.get('type')).toBe('CONNECT,ABANDON');
    expect(q.get('call')).toBe('7');
    expect(q.get('limit')).toBe('500');
    expect(q.get('after')).toBe('42');
    expect(q.has('interval')).toBe(false);
    expect(reportQuery(DEFAULT_FILTERS, 'events', { after: null })).toBe('period=today');
  });

  it('statistics take only what they accept', () => {
    const f = { ...DEFAULT_FILTERS, queue: 'sales', agent: 'bob', types: ['CONNECT'], call: '3' };
    expect(reportQuery(f, 'queueStats', { interval: 'hour' })).toBe('period=today&queue=sales&interval=hour');
    expect(reportQuery(f, 'agentStats', { interval: 'total' })).toBe('period=today&agent=bob&interval=total');
  });

  it('custom ranges carry the browser zone', () => {
    expect(zoneSuffix(-60)).toBe('+01:00');
    expect(zoneSuffix(330)).toBe('-05:30');
    expect(apiTime('2026-11-21T08:00')).toMatch(/^2026-11-21T08:00:00[+-]\d\d:\d\d$/);
    const custom = { ...DEFAULT_FILTERS, period: 'custom', from: '2026-11-21T08:00', to: '' };
    const q = new URLSearchParams(reportQuery(custom, 'events'));
    expect(q.has('period')).toBe(false);
    expect(q.get('from')).toMatch(/^2026-11-21T08:00:00/);
    expect(new URLSearchParams(reportQuery(custom, 'hash')).get('from')).toBe('2026-11-21T08:00');
  });

  it('checks the filters', () => {
    expect(checkFilters(DEFAULT_FILTERS)).toBeNull();
    expect(checkFilters({ ...DEFAULT_FILTERS, period: 'custom' })?.field).toBe('from');
    expect(checkFilters({ ...DEFAULT_FILTERS, period: 'custom', from: '2026-11-21T10:00', to: '2026-11-21T09:00' })?.field).toBe('to');
    expect(checkFilters({ ...DEFAULT_FILTERS, call: 'abc' })?.field).toBe('call');
  });

  it('names the export after the filters', () => {
    expect(csvFileName({ ...DEFAULT_FILTERS, queue: 'sales' })).toBe('callq-events-today-sales.csv');
    expect(csvFileName({ ...DEFAULT_FILTERS, period: 'custom', from: '2026-11-21T08:00', to: '' })).toBe('callq-events-2026-11-21T08-00_now.csv');
  });
});

describe('statistics', () => {
  it('sums queues per interval, weighting the service level by calls', () => {
    const b = bucketsOf([
      row({ start_ms: 2, offered: 4, answered: 3, abandoned: 1, service_level: 0.5 }),
      row({ queue: 'support', start_ms: 2, offered: 1, answered: 1, service_level: 1 }),
      row({ start_ms: 1, offered: 2, answered: 1, abandoned: 0, service_level: null }),
    ]);
    expect(b.map((x) => x.start_ms)).toEqual([1, 2]);
    expect(b[0].other).toBe(1);
    expect(b[0].service_level).toBeNull();
    expect(b[1].offered).toBe(5);
    expect(b[1].service_level).toBeCloseTo(0.6);
  });

  it('totals', () => {
    const t = totalsOf([
      row({ offered: 2, answered: 2, service_level: 1, asa_s: 2, aht_s: 10, handled: 2, longest_wait_s: 3 }),
      row({ offered: 2, answered: 1, abandoned: 1, service_level: 0.5, asa_s: 8, aht_s: 40, handled: 1, longest_wait_s: 9 }),
    ]);
    expect(t).toEqual({ offered: 4, answered: 3, abandoned: 1, service_level: 0.75, asa_s: 4, aht_s: 20, longest_wait_s: 9 });
    expect(totalsOf([]).service_level).toBeNull();
  });

  it('fills the empty intervals of the period', () => {
    const hour = 3_600_000;
    const from = 100 * hour;
    const starts = intervalStarts('hour', from, from + 3 * hour);
    expect(starts).toEqual([from, from + hour, from + 2 * hour]);
    const filled = fillBuckets(bucketsOf([row({ start_ms: from + hour, offered: 1, answered: 1 })]), 'hour', { from, to: from + 24 * hour }, from + 2 * hour + 5);
    expect(filled.map((b) => b.offered)).toEqual([0, 1, 0]);
    // Misaligned server intervals are left alone.
    const odd = bucketsOf([row({ start_ms: from + 1234, offered: 1 })]);
    expect(fillBuckets(odd, 'hour', { from, to: from + 5 * hour }, from + 5 * hour)).toEqual(odd);
  });
});
