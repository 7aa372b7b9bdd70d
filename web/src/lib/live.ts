// The live event stream (GET /api/v1/stream, a WebSocket the session cookie authenticates):
// connects, hands each event to the listeners, and reconnects with a growing delay.

import type { EventRow } from './api';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'closed';

/** The part of a WebSocket the stream uses (tests pass a fake). */
export interface SocketLike {
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  close(): void;
}

export interface LiveOptions {
  url: string;
  open?: (url: string) => SocketLike;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (id: unknown) => void;
  /** Delays before reconnecting: first, then doubled up to max. */
  minDelayMs?: number;
  maxDelayMs?: number;
}

/** The delay before reconnection attempt `attempt` (0-based): min·2^attempt, capped at max. */
export function backoffDelay(attempt: number, minMs: number, maxMs: number): number {
  return Math.min(maxMs, minMs * Math.pow(2, Math.min(attempt, 30)));
}

/** ws:// or wss:// URL of the stream on the page's own origin. */
export function streamUrl(loc: { protocol: string; host: string }): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/api/v1/stream`;
}

export class LiveStream {
  private readonly opts: Required<LiveOptions>;
  private socket: SocketLike | null = null;
  private timer: unknown = null;
  private attempt = 0;
  private stopped = false;
  private statusValue: LiveStatus = 'connecting';
  private readonly eventListeners = new Set<(e: EventRow) => void>();
  private readonly statusListeners = new Set<(s: LiveStatus) => void>();

  constructor(opts: LiveOptions) {
    this.opts = {
      open: (url) => new WebSocket(url) as unknown as SocketLike,
      setTimer: (fn, ms) => setTimeout(fn, ms),
      clearTimer: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
      minDelayMs: 1000,
      maxDelayMs: 30000,
      ...opts,
    };
  }

  get status(): LiveStatus {
    return this.statusValue;
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) {
      this.opts.clearTimer(this.timer);
      this.timer = null;
    }
    const s = this.socket;
    this.socket = null;
    if (s) {
      s.onclose = null;
      s.onmessage = null;
      s.onerror = null;
      s.close();
    }
    this.setStatus('closed');
  }

  onEvent(fn: (e: EventRow) => void): () => void {
    this.eventListeners.add(fn);
    return () => this.eventListeners.delete(fn);
  }

  onStatus(fn: (s: LiveStatus) => void): () => void {
    this.statusListeners.add(fn);
    return () => this.statusListeners.delete(fn);
  }

  /** Reconnect now (e.g. the tab became visible again), forgetting the backoff. */
  retryNow(): void {
    if (this.stopped || this.statusValue === 'live') {
      return;
    }
    if (this.timer !== null) {
      this.opts.clearTimer(this.timer);
      this.timer = null;
    }
    this.attempt = 0;
    this.connect();
  }

  private setStatus(s: LiveStatus): void {
    if (s === this.statusValue) {
      return;
    }
    this.statusValue = s;
    for (const fn of this.statusListeners) {
      fn(s);
    }
  }

  private connect(): void {
    if (this.socket) {
      const old = this.socket;
      this.socket = null;
      old.onclose = null;
      old.close();
    }
    let socket: SocketLike;
    try {
      socket = this.opts.open(this.opts.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      this.setStatus('live');
    };
    socket.onmessage = (ev) => {
      if (typeof ev.data !== 'string') {
        return;
      }
      let event: EventRow;
      try {
        event = JSON.parse(ev.data) as EventRow;
      } catch {
        return;
      }
      for (const fn of this.eventListeners) {
        fn(event);
      }
    };
    socket.onerror = () => {
      // onclose follows and schedules the reconnection
    };
    socket.onclose = () => {
      if (this.socket !== socket) {
        return;
      }
      this.socket = null;
      this.scheduleReconnect();
    };
  }

  private scheduleReconnect(): void {
    if (this.stopped) {
      return;
    }
    this.setStatus('reconnecting');
    const delay = backoffDelay(this.attempt, this.opts.minDelayMs, this.opts.maxDelayMs);
    this.attempt += 1;
    this.timer = this.opts.setTimer(() => {
      this.timer = null;
      this.connect();
    }, delay);
  }
}
