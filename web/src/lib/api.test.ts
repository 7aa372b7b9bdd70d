import { describe, expect, it } from 'vitest';
import { errorOf } from './api';

describe('api', () => {
  it('reads the API error object', () => {
    const e = errorOf(400, '{"error":{"status":400,"field":"ring_time","reason":"ring_time: must be greater than 0"}}');
    expect(e.status).toBe(400);
    expect(e.field).toBe('ring_time');
    expect(e.reason).toBe('ring_time: must be greater than 0');
    expect(errorOf(502, 'Bad gateway').reason).toBe('Bad gateway');
    expect(errorOf(500, '').reason).toBe('the server answered 500');
  });
});
