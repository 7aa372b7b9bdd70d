// The report's statistics: figures, charts (service level and calls per interval), per queue and
// per agent tables.

import type { Agent, AgentStatsRow } from '../../lib/api';
import { clock, humanSeconds, percent, shortSeconds } from '../../lib/format';
import { bucketLabel, bucketsOf, fillBuckets, totalsOf } from '../../lib/report';
import { ChartView } from '../../components/Chart';
import { Empty, Kpi } from '../../components/ui';
import type { ReportData } from './types';

function Kpis({ items }: { items: Array<{ label: string; value: string; tone?: 'ok' | 'warn' }> }) {
  return (
    <div class="kpis kpis-report" aria-label="Figures">
      {items.map((i) => <Kpi {...i} />)}
    </div>
  );
}

export function QueueStatistics({ data }: { data: ReportData }) {
  const totals = totalsOf(data.queueTotals ?? []);
  const buckets = fillBuckets(bucketsOf(data.queueRows ?? []), data.interval, data.bounds, data.madeAt);
  const labels = buckets.map((b) => bucketLabel(b.start_ms, data.interval));
  const intervalName = data.interval === '15min' ? '15 minutes' : data.interval;
  return (
    <section aria-labelledby="stats-title" class="stats">
      <h2 id="stats-title" class="section-title">Statistics</h2>
      <Kpis items={[
        { label: 'Offered', value: String(totals.offered) },
        { label: 'Answered', value: String(totals.answered), tone: 'ok' },
        { label: 'Abandoned', value: String(totals.abandoned), tone: totals.abandoned ? 'warn' : undefined },
        { label: 'Service level', value: percent(totals.service_level) },
        { label: 'Avg speed of answer', value: shortSeconds(totals.asa_s) },
        { label: 'Avg handle time', value: shortSeconds(totals.aht_s) },
        { label: 'Longest wait', value: totals.longest_wait_s === null ? '—' : clock(totals.longest_wait_s) },
      ]} />
      {totals.offered === 0 && buckets.every((b) => b.offered === 0) ? (
        <div class="card"><Empty icon="chart" title="No calls in this period">Calls offered to the queues appear here.</Empty></div>
      ) : (
        <div class="charts">
          <div class="card chart-card">
            <h3>Service level per {intervalName}</h3>
            <ChartView type="line" label={`Service level per ${intervalName}`} labels={labels} yMax={100}
              yFormat={(v) => `${Math.round(v)}%`}
              series={[{ label: 'Service level', data: buckets.map((b) => b.service_level === null ? null : Math.round(b.service_level * 1000) / 10), color: '#4f46e5', fill: true }]} />
          </div>
          <div class="card chart-card">
            <h3>Calls per {intervalName}</h3>
            <ChartView type="bar" stacked label={`Calls per ${intervalName}`} labels={labels}
              series={[
                { label: 'Answered', data: buckets.map((b) => b.answered), color: '#16a34a' },
                { label: 'Abandoned', data: buckets.map((b) => b.abandoned), color: '#f59e0b' },
                { label: 'Other (timeout, overflow…)', data: buckets.map((b) => b.other), color: '#94a3b8' },
              ]} />
          </div>
        </div>
      )}
      {data.queueTotals && data.queueTotals.length > 0 && (
        <div class="card table-card">
          <table class="table stats-table" aria-label="Statistics per queue">
            <thead>
              <tr>
                <th scope="col">Queue</th><th scope="col" class="num">Offered</th><th scope="col" class="num">Answered</th>
                <th scope="col" class="num">Abandoned</th><th scope="col" class="num">Service level</th>
                <th scope="col" class="num">Avg speed of answer</th><th scope="col" class="num">Avg handle time</th><th scope="col" class="num">Longest wait</th>
              </tr>
            </thead>
            <tbody>
              {data.queueTotals.map((r) => (
                <tr>
                  <td class="cell-title">{r.queue}</td>
                  <td class="num">{r.offered}</td><td class="num">{r.answered}</td><td class="num">{r.abandoned}</td>
                  <td class="num">{percent(r.service_level)}</td><td class="num">{shortSeconds(r.asa_s)}</td>
                  <td class="num">{shortSeconds(r.aht_s)}</td><td class="num">{r.longest_wait_s == null ? '—' : clock(r.longest_wait_s)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function withdrawnTotal(r: AgentStatsRow): number {
  return Object.values(r.withdrawn_s ?? {}).reduce((a, b) => a + b, 0);
}

export function AgentStatistics({ data }: { data: ReportData }) {
  const total = data.agentTotals[0];
  const byStart = new Map((data.agentRows ?? []).map((r) => [r.start_ms, r]));
  const filled = fillBuckets((data.agentRows ?? []).map((r) => ({
    start_ms: r.start_ms, start: r.start, offered: 0, answered: 0, abandoned: 0, other: 0, answered_within_sl: 0, service_level: null,
  })), data.interval, data.bounds, data.madeAt);
  const rows = filled.map((b) => byStart.get(b.start_ms) ?? { agent: '', start: b.start, start_ms: b.start_ms, answered: 0, no_answers: 0 });
  const labels = rows.map((r) => bucketLabel(r.start_ms, data.interval));
  const intervalName = data.interval === '15min' ? '15 minutes' : data.interval;
  return (
    <section aria-labelledby="stats-title" class="stats">
      <h2 id="stats-title" class="section-title">Statistics</h2>
      <Kpis items={[
        { label: 'Answered', value: String(total?.answered ?? 0), tone: 'ok' },
        { label: 'Talk time', value: humanSeconds(total?.talk_s ?? 0) },
        { label: 'Avg handle time', value: shortSeconds(total?.aht_s ?? null) },
        { label: 'Unanswered offers', value: String(total?.no_answers ?? 0), tone: total?.no_answers ? 'warn' : undefined },
        { label: 'Logged in', value: humanSeconds(total?.logged_in_s ?? 0) },
        { label: 'Withdrawn', value: humanSeconds(total ? withdrawnTotal(total) : 0) },
      ]} />
      {rows.some((r) => r.answered > 0 || (r.no_answers ?? 0) > 0) && (
        <div class="card chart-card">
          <h3>Calls answered per {intervalName}</h3>
          <ChartView type="bar" label={`Calls answered per ${intervalName}`} labels={labels}
            series={[
              { label: 'Answered', data: rows.map((r) => r.answered), color: '#16a34a' },
              { label: 'Unanswered offers', data: rows.map((r) => r.no_answers ?? 0), color: '#f59e0b' },
            ]} />
        </div>
      )}
    </section>
  );
}

export function AgentTable({ rows, agents }: { rows: AgentStatsRow[]; agents: Agent[] }) {
  const name = (id: string) => agents.find((a) => a.id === id)?.name ?? id;
  return (
    <div class="card table-card">
      <table class="table stats-table" aria-label="Statistics per agent">
        <thead>
          <tr>
            <th scope="col">Agent</th><th scope="col" class="num">Answered</th><th scope="col" class="num">Talk time</th>
            <th scope="col" class="num">Avg handle time</th><th scope="col" class="num">Unanswered offers</th>
            <th scope="col" class="num">Logged in</th><th scope="col">Withdrawn</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <td><span class="cell-title">{name(r.agent)}</span> <span class="cell-sub">{r.agent}</span></td>
              <td class="num">{r.answered}</td><td class="num">{humanSeconds(r.talk_s ?? 0)}</td>
              <td class="num">{r.handled || r.answered ? shortSeconds(r.aht_s ?? null) : '—'}</td><td class="num">{r.no_answers ?? 0}</td>
              <td class="num">{humanSeconds(r.logged_in_s ?? 0)}</td>
              <td>{Object.entries(r.withdrawn_s ?? {}).map(([k, v]) => `${k} ${humanSeconds(v)}`).join(', ') || '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
