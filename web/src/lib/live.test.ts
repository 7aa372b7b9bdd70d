import { describe, expect, it } from 'vitest';
import { backoffDelay, LiveStream, streamUrl, type SocketLike } from './live';

class FakeSocket implements SocketLike {
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  closed = false;
  close() { this.closed = true; }
}

function harness() {
  const sockets: FakeSocket[] = [];
  const timers: Array<{ fn: () => void; ms: number }> = [];
  const stream = new LiveStream({
    url: 'ws://x/api/v1/stream',
    open: () => { const s = new FakeSocket(); sockets.push(s); return s; },
    setTimer: (fn, ms) => { timers.push({ fn, ms }); return timers.length - 1; },
    clearTimer: () => undefined,
    minDelayMs: 1000,
    maxDelayMs: 8000,
  });
  return { stream, sockets, timers };
}

describe('live stream', () => {
  it('backoff doubles up to the cap', () => {
    expect([0, 1, 2, 3, 4, 10].map((n) => backoffDelay(n, 1000, 8000))).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it('uses the page origin', () => {
    expect(streamUrl({ protocol: 'http:', host: '127.0.0.1:8080' })).toBe('ws://127.0.0.1:8080/api/v1/stream');
    expect(streamUrl({ protocol: 'https:', host: 'pbx.example' })).toBe('wss://pbx.example/api/v1/stream');
  });

  it('delivers events, reconnects with backoff, resets after a success', () => {
    const { stream, sockets, timers } = harness();
    const statuses: string[] = [];
    const events: string[] = [];
    stream.onStatus((s) => statuses.push(s));
    stream.onEvent((e) => events.push(e.event));
    stream.start();
    sockets[0].onopen?.({});
    sockets[0].onmessage?.({ data: '{"event":"HELLO","user":"manager"}' });
    sockets[0].onmessage?.({ data: 'not json' });
    sockets[0].onmessage?.({ data: '{"event":"CONNECT","call":1}' });
    expect(events).toEqual(['HELLO', 'CONNECT']);
    sockets[0].onclose?.({});
    expect(stream.status).toBe('reconnecting');
    expect(timers.map((t) => t.ms)).toEqual([1000]);
    timers[0].fn();
    sockets[1].onclose?.({});
    expect(timers.map((t) => t.ms)).toEqual([1000, 2000]);
    timers[1].fn();
    sockets[2].onopen?.({});
    expect(stream.status).toBe('live');
    sockets[2].onclose?.({});
    expect(timers[2].ms).toBe(1000);
    expect(statuses).toEqual(['live', 'reconnecting', 'live', 'reconnecting']);
  });

  it('stops for good', () => {
    const { stream, sockets, timers } = harness();
    stream.start();
    stream.stop();
    expect(sockets[0].closed).toBe(true);
    expect(stream.status).toBe('closed');
    expect(timers.length).toBe(0);
  });
});
