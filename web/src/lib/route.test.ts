import { describe, expect, it } from 'vitest';
import { allowed, href, parseHash } from './route';

describe('routes', () => {
  it('parses the hash routes', () => {
    expect(parseHash('#/queues')).toEqual({ page: 'queues' });
    expect(parseHash('#/queues/new')).toEqual({ page: 'queue-new' });
    expect(parseHash('#/queues/sales%20east/edit')).toEqual({ page: 'queue-edit', name: 'sales east' });
    expect(parseHash('#/agents').page).toBe('agents');
    const r = parseHash('#/reports?queue=sales&period=today');
    expect(r.page).toBe('reports');
    if (r.page === 'reports') expect(r.query.get('queue')).toBe('sales');
    expect(parseHash('#/widget').page).toBe('widget');
    expect(parseHash('').page).toBe('unknown');
    expect(parseHash('#/nope').page).toBe('unknown');
  });

  it('round-trips the links', () => {
    const r = parseHash(href.editQueue('a/b'));
    expect(r).toEqual({ page: 'queue-edit', name: 'a/b' });
  });

  it('agents see only the widget and reports', () => {
    expect(allowed('agent', 'widget')).toBe(true);
    expect(allowed('agent', 'reports')).toBe(true);
    expect(allowed('agent', 'queues')).toBe(false);
    expect(allowed('agent', 'queue-edit')).toBe(false);
    expect(allowed('manager', 'queues')).toBe(true);
    expect(allowed('manager', 'unknown')).toBe(false);
  });
});
