// The report's events table, with paging ("Load more").

import type { EventRow } from '../../lib/api';
import { shortSeconds } from '../../lib/format';
import { reportQuery, type ReportFilters } from '../../lib/report';
import { href } from '../../lib/route';
import { Badge, Empty } from '../../components/ui';
import { PAGE } from './types';

const EVENT_TONE: Record<string, 'ready' | 'withdrawn' | 'unavailable' | 'ringing' | 'oncall' | 'neutral' | 'danger' | 'info'> = {
  ENTERQUEUE: 'info', CONNECT: 'ready', ABANDON: 'danger', EXITEMPTY: 'danger', EXITWITHTIMEOUT: 'danger',
  EXITWITHKEY: 'neutral', JOINREFUSED: 'danger', RINGNOANSWER: 'withdrawn', RINGCANCELED: 'withdrawn',
  COMPLETEAGENT: 'oncall', COMPLETECALLER: 'oncall', ATTENDEDTRANSFER: 'info', BLINDTRANSFER: 'info',
  ADDMEMBER: 'ready', REMOVEMEMBER: 'unavailable', PAUSE: 'withdrawn', UNPAUSE: 'ready', UNAVAILABLE: 'unavailable',
  SERVERRESTART: 'neutral',
};

function ms(v: number | undefined): string {
  return v === undefined ? '' : shortSeconds(v / 1000);
}

export function EventsTable({ events, nextAfter, more, onMore, filters }: {
  events: EventRow[];
  nextAfter: number | null;
  more: boolean;
  onMore: () => void;
  filters: ReportFilters;
}) {
  const callHref = (call: number) => href.reports(reportQuery({ ...filters, call: String(call), types: [] }, 'hash'));
  return (
    <section aria-labelledby="events-title" class="events">
      <div class="section-head">
        <h2 id="events-title" class="section-title">Events</h2>
        <span class="cell-sub" aria-live="polite" data-testid="events-count">
          {events.length} {events.length === 1 ? 'event' : 'events'}{nextAfter ? ' shown (more match)' : ''}
        </span>
      </div>
      {events.length === 0 ? (
        <div class="card"><Empty icon="filter" title="No events match these filters">Widen the period or check more event types.</Empty></div>
      ) : (
        <div class="card table-card">
          <table class="table events-table" aria-label="Events">
            <thead>
              <tr>
                <th scope="col">Time</th><th scope="col">Event</th><th scope="col">Call</th><th scope="col">Queue</th>
                <th scope="col">Agent</th><th scope="col" class="num">Position</th><th scope="col" class="num">Wait</th>
                <th scope="col" class="num">Talk</th><th scope="col" class="num">Ring</th><th scope="col">Key</th><th scope="col">Reason / caller</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr data-event={e.event}>
                  <td class="mono nowrap" title={e.time}>{formatEventTime(e)}</td>
                  <td><Badge state={EVENT_TONE[e.event] ?? 'neutral'}>{e.event}</Badge></td>
                  <td>{e.call ? <a href={callHref(e.call)} title="Only this call">{e.call}</a> : ''}</td>
                  <td>{e.queue ?? ''}</td>
                  <td>{e.agent ?? ''}</td>
                  <td class="num">{e.position ?? ''}{e.position && e.original_position && e.original_position !== e.position ? <span class="cell-sub"> (from {e.original_position})</span> : ''}</td>
                  <td class="num">{ms(e.wait_ms)}</td>
                  <td class="num">{ms(e.talk_ms)}</td>
                  <td class="num">{ms(e.ring_ms)}</td>
                  <td class="mono">{e.key ?? ''}</td>
                  <td class="reason">{e.reason ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {nextAfter && (
            <div class="table-foot">
              <button type="button" class="btn btn-secondary btn-sm" disabled={more} onClick={onMore}>
                {more ? 'Loading…' : `Load ${PAGE} more`}
              </button>
            </div>
          )}
        </div>
      )}
    </section>
  );
}

/** The event's own time as the server wrote it (its zone), "2026-11-21 20:48:58.398". */
function formatEventTime(e: EventRow): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(\.\d+)?/.exec(e.time);
  return m ? `${m[1]} ${m[2]}` : e.time;
}
