// Events as CSV, byte for byte as GET /api/v1/events.csv and `callq report` write them
// (RFC 4180, CRLF line ends), so an export of the rows on screen matches the server's.

import type { EventRow } from './api';

export const CSV_HEADER =
  'id,time,event,call,queue,agent,position,original_position,wait_s,talk_s,ring_s,key,reason';

/** A field quoted only when it holds a comma, a quote, CR or LF; quotes doubled. */
export function csvField(text: string | undefined | null): string {
  const s = text ?? '';
  if (!/[",\r\n]/.test(s)) {
    return s;
  }
  return `"${s.replace(/"/g, '""')}"`;
}

/** Milliseconds as seconds with 3 decimals: 12345 -> "12.345", -500 -> "-0.500". */
export function seconds3(ms: number): string {
  const neg = ms < 0;
  const mag = Math.abs(Math.trunc(ms));
  const whole = Math.floor(mag / 1000);
  const frac = String(mag % 1000).padStart(3, '0');
  return `${neg ? '-' : ''}${whole}.${frac}`;
}

function count(n: number | undefined): string {
  return n === undefined || n === 0 ? '' : String(n);
}

function dur(ms: number | undefined): string {
  return ms === undefined ? '' : seconds3(ms);
}

export function csvRow(e: EventRow): string {
  return [
    String(e.id ?? ''),
    e.time,
    csvField(e.event),
    count(e.call),
    csvField(e.queue),
    csvField(e.agent),
    count(e.position),
    count(e.original_position),
    dur(e.wait_ms),
    dur(e.talk_ms),
    dur(e.ring_ms),
    csvField(e.key),
    csvField(e.reason),
  ].join(',');
}

export function eventsCsv(events: readonly EventRow[]): string {
  let out = CSV_HEADER + '\r\n';
  for (const e of events) {
    out += csvRow(e) + '\r\n';
  }
  return out;
}
