import { describe, expect, it } from 'vitest';
import { errorOf, normalizeAgent } from './api';

const base = {
  id: 'alice', name: 'Alice', extension: '201', presence: 'ready', reason: '', activity: 'idle',
  on_other_call: false, registered: true, since_ms: 5, queues: [],
};

describe('api', () => {
  it('reads the API error object', () => {
    const e = errorOf(400, '{"error":{"status":400,"field":"ring_time","reason":"ring_time: must be greater than 0"}}');
    expect(e.status).toBe(400);
    expect(e.field).toBe('ring_time');
    expect(e.reason).toBe('ring_time: must be greater than 0');
    expect(errorOf(502, 'Bad gateway').reason).toBe('Bad gateway');
    expect(errorOf(500, '').reason).toBe('the server answered 500');
  });

  it('tells a missing endpoint from a missing object', () => {
    expect(errorOf(404, '{"error":{"status":404,"reason":"no GET /api/v1/config (docs/api.md lists the endpoints)"}}').missing).toBe(true);
    expect(errorOf(404, '{"error":{"status":404,"field":"queue","reason":"no queue \'x\'"}}').missing).toBe(false);
  });

  it('normalizes a bare call id (older servers)', () => {
    const a = normalizeAgent({ ...base, activity: 'ringing', call: 12 });
    expect(a.call).toEqual({ id: 12, state: 'ringing' });
    expect(a.phones).toBeNull();
    expect(normalizeAgent({ ...base, activity: 'on call', call: 3 }).call?.state).toBe('connected');
    expect(normalizeAgent({ ...base, call: null }).call).toBeNull();
  });

  it('keeps the call object and the phones', () => {
    const a = normalizeAgent({
      ...base,
      call: { id: 12, queue: 'sales', caller: '+33123456789', state: 'connected', since_ms: 99 },
      phones: [{ contact: 'sip:201@127.0.0.1:5072', user_agent: 'baresip', expires_in_s: 3540 }],
    });
    expect(a.call).toEqual({ id: 12, queue: 'sales', caller: '+33123456789', state: 'connected', since_ms: 99 });
    expect(a.phones).toEqual([{ contact: 'sip:201@127.0.0.1:5072', user_agent: 'baresip', expires_in_s: 3540 }]);
  });
});
