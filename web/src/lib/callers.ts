// Caller ids seen on the stream: ENTERQUEUE carries the caller in `reason`. Lets the dashboard and
// the widget name a caller while the API gives only a call id (older servers).

import type { EventRow } from './api';

const book = new Map<number, { caller: string; queue: string }>();
const LIMIT = 2000;

export function noteEvent(e: EventRow): void {
  if (e.event === 'ENTERQUEUE' && e.call && e.reason) {
    book.set(e.call, { caller: e.reason, queue: e.queue ?? '' });
    if (book.size > LIMIT) {
      const first = book.keys().next();
      if (!first.done) book.delete(first.value);
    }
  }
}

export function callerOf(call: number | undefined | null): string | undefined {
  return call ? book.get(call)?.caller : undefined;
}

export function queueOf(call: number | undefined | null): string | undefined {
  return call ? book.get(call)?.queue : undefined;
}
