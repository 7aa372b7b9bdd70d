// Report page: filters (period presets or from/to, event types, queue, agent, call id), statistics
// with charts, and the events; "Export to CSV" downloads GET /api/v1/events.csv for the same
// filters (every matching event, not only the pages loaded).

import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { API, api, ApiError, type Agent, type Queue } from '../lib/api';
import { useLiveEvents, useSession } from '../lib/hooks';
import { autoInterval, csvFileName, filtersFromQuery, periodBounds, reportQuery } from '../lib/report';
import { Icon } from '../components/Icon';
import { ErrorBanner, PageHeader, Spinner } from '../components/ui';
import { EventsTable } from './report/Events';
import { Filters } from './report/Filters';
import { AgentStatistics, AgentTable, QueueStatistics } from './report/Statistics';
import { PAGE, type ReportData } from './report/types';

export function ReportsPage({ query }: { query: URLSearchParams }) {
  const session = useSession();
  const manager = session.role === 'manager';
  const applied = useMemo(() => {
    const f = filtersFromQuery(query);
    if (!manager) f.agent = session.agent ?? session.name;
    return f;
  }, [query.toString(), manager]);

  const [queues, setQueues] = useState<Queue[]>([]);
  const [agents, setAgents] = useState<Agent[]>([]);
  // Without them the queue and agent filters offer only "All": say why.
  const [listsError, setListsError] = useState<ApiError | Error | null>(null);
  useEffect(() => {
    api.queues().then(setQueues, setListsError);
    if (manager) api.agents().then(setAgents, setListsError);
  }, [manager]);

  const [data, setData] = useState<ReportData | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const [more, setMore] = useState(false);
  const [fresh, setFresh] = useState(0);
  const generation = useRef(0);

  const load = async () => {
    const gen = ++generation.current;
    setLoading(true);
    setError(null);
    setFresh(0);
    const interval = autoInterval(applied);
    try {
      const [events, qRows, qTotals, aRows, aTotals] = await Promise.all([
        api.events(reportQuery(applied, 'events', { limit: PAGE })),
        manager ? api.queueStats(reportQuery(applied, 'queueStats', { interval })) : Promise.resolve(null),
        manager ? api.queueStats(reportQuery(applied, 'queueStats', { interval: 'total' })) : Promise.resolve(null),
        manager ? Promise.resolve(null) : api.agentStats(reportQuery(applied, 'agentStats', { interval })),
        api.agentStats(reportQuery(applied, 'agentStats', { interval: 'total' })),
      ]);
      if (gen !== generation.current) return;
      setData({
        events: events.events,
        nextAfter: events.next_after,
        queueRows: qRows?.rows ?? null,
        queueTotals: qTotals?.rows ?? null,
        agentRows: aRows?.rows ?? null,
        agentTotals: aTotals.rows,
        interval,
        bounds: periodBounds(applied, new Date()),
        madeAt: Date.now(),
      });
    } catch (e) {
      if (gen !== generation.current) return;
      setError(e as ApiError);
      setData(null);
    } finally {
      if (gen === generation.current) setLoading(false);
    }
  };

  useEffect(() => { void load(); }, [applied]);

  useLiveEvents((batch) => {
    if (batch.length) setFresh((x) => x + batch.length);
  }, 500);

  const loadMore = async () => {
    if (!data?.nextAfter) return;
    setMore(true);
    try {
      const page = await api.events(reportQuery(applied, 'events', { limit: PAGE, after: data.nextAfter }));
      setData({ ...data, events: [...data.events, ...page.events], nextAfter: page.next_after });
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setMore(false);
    }
  };


  return (
    <div class="page">
      <PageHeader title={manager ? 'Reports' : 'My report'}
        subtitle={manager ? 'Queue activity: who connected, which calls were handled, how fast.' : 'Your calls, logins and presence.'} />
      <Filters applied={applied} manager={manager} queues={queues} agents={agents}
        csv={data && !loading ? {
          // Exactly the events shown: the first ones that matched, not those that came since.
          href: `${API}/events.csv?${reportQuery(applied, 'events', { limit: String(data.events.length) })}`,
          name: csvFileName(applied),
        } : null}
        onReload={() => void load()} />
      <ErrorBanner error={listsError} title="The queue and agent lists could not be loaded:" onClose={() => setListsError(null)} />
      <ErrorBanner error={error} title="The report was refused:" />
      {fresh > 0 && !loading && (
        <div class="banner banner-info" role="status">
          <span>{fresh} new {fresh === 1 ? 'event' : 'events'} since this report was made.</span>
          <button type="button" class="btn btn-sm btn-secondary" onClick={() => void load()}><Icon name="refresh" /> Update</button>
        </div>
      )}
      {loading && !data ? <Spinner label="Loading report" /> : data ? (
        <>
          {manager
            ? <QueueStatistics data={data} />
            : <AgentStatistics data={data} />}
          {manager && data.agentTotals.length > 0 && <AgentTable rows={data.agentTotals} agents={agents} />}
          <EventsTable events={data.events} nextAfter={data.nextAfter} more={more} onMore={loadMore} filters={applied} />
        </>
      ) : null}
    </div>
  );
}
