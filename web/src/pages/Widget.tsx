// The agent widget: presence, the incoming or current call, the agent's queues with log in / log
// out, and today's figures. Works in a ~360 px CRM side panel. A manager picks the agent.

import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, type Agent, type AgentStatsRow, type Queue } from '../lib/api';
import { agentState, callerLabel, clock, humanSeconds, shortSeconds } from '../lib/format';
import { useLiveData, useNow, useSession } from '../lib/hooks';
import { href } from '../lib/route';
import { Icon } from '../components/Icon';
import { Badge, Empty, ErrorBanner, Spinner, toast } from '../components/ui';
import { parsePresenceValue, presenceValue, PresenceOptions } from './Agents';

interface WidgetData {
  agent: Agent;
  queues: Queue[];
  reasons: string[];
  today: AgentStatsRow | null;
}

export function WidgetPage({ query }: { query: URLSearchParams }) {
  const session = useSession();
  const manager = session.role === 'manager';
  const [agents, setAgents] = useState<Agent[] | null>(null);
  const [agentsError, setAgentsError] = useState<ApiError | Error | null>(null);
  const chosen = manager ? query.get('agent') ?? '' : session.agent ?? session.name;

  useEffect(() => {
    if (manager) api.agents().then(setAgents, (e: ApiError | Error) => setAgentsError(e));
  }, [manager]);

  const id = chosen || (manager ? agents?.[0]?.id ?? '' : '');
  return (
    <div class="page widget-page">
      {manager && (
        <div class="widget-picker card">
          <label for="widget-agent">Agent</label>
          <select id="widget-agent" value={id} onChange={(e) => { location.hash = href.widget(e.currentTarget.value); }}>
            {(agents ?? []).map((a) => <option value={a.id}>{a.name} ({a.id})</option>)}
          </select>
          <p class="field-hint">Managers see and act for any agent.</p>
          <ErrorBanner error={agentsError} title="The agents could not be listed:" />
        </div>
      )}
      {id ? <Widget key={id} agentId={id} /> : manager && agents && agents.length === 0 ? (
        <div class="card"><Empty icon="users" title="No agents configured" /></div>
      ) : agentsError ? null : <Spinner />}
    </div>
  );
}

function Widget({ agentId }: { agentId: string }) {
  const data = useLiveData<WidgetData>(async () => {
    const [agent, queues, reasons, stats] = await Promise.all([
      api.agent(agentId),
      api.queues(),
      api.reasons(),
      api.agentStats(new URLSearchParams({ period: 'today', agent: agentId, interval: 'total' }).toString()),
    ]);
    return { agent, queues, reasons, today: stats.rows.find((r) => r.agent === agentId) ?? null };
  }, [agentId]);
  const now = useNow(1000);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState('');

  const a = data.data?.agent;
  const ringing = a?.activity === 'ringing' || a?.call?.state === 'ringing';
  useEffect(() => {
    const base = 'callq console';
    document.title = ringing ? `Incoming call · ${base}` : base;
    return () => { document.title = base; };
  }, [ringing]);

  if (data.error && !data.data) return <ErrorBanner error={data.error} title="Could not load the widget:" />;
  if (!a || !data.data) return <Spinner label="Loading" />;

  const st = agentState(a);
  const queues = data.data.queues;
  const setPresence = async (value: string) => {
    setError(null);
    const p = parsePresenceValue(value);
    setBusy('presence');
    try {
      await api.setPresence(a.id, p.presence, p.reason);
      data.reload();
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy('');
    }
  };
  const toggle = async (queue: string, login: boolean) => {
    setError(null);
    setBusy(queue);
    try {
      await (login ? api.connect(queue, a.id) : api.disconnect(queue, a.id));
      toast(login ? `Logged in to ${queue}` : `Logged out of ${queue}`);
      data.reload();
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy('');
    }
  };

  return (
    <div class="widget" aria-label={`Agent widget of ${a.name}`}>
      <section class={`card widget-head state-${st.key}`}>
        <div class="widget-id">
          <span class={`avatar avatar-lg avatar-${st.key}`} aria-hidden="true">{a.name.slice(0, 1).toUpperCase()}</span>
          <div class="widget-who">
            <div class="widget-name">{a.name}</div>
            <div class="cell-sub">{a.id} · ext. <span class="mono">{a.extension}</span></div>
            <div class={`phone-status ${a.registered ? 'on' : 'off'}`}>
              <span class="dot" aria-hidden="true" />
              {a.registered
                ? `Phone registered${a.phones.length > 1 ? ` (${a.phones.length})` : ''}`
                : 'No phone registered'}
            </div>
          </div>
          <div class="widget-state">
            <Badge state={st.key}>{st.label}</Badge>
            {a.since_ms > 0 && <span class="cell-sub">{clock((now - a.since_ms) / 1000)}</span>}
          </div>
        </div>
        <div class="field widget-presence">
          <label for="widget-presence">Presence</label>
          <select id="widget-presence" value={presenceValue(a)} disabled={busy === 'presence'} onChange={(e) => setPresence(e.currentTarget.value)}>
            <PresenceOptions reasons={data.data.reasons} current={a} />
          </select>
        </div>
      </section>

      <ErrorBanner error={error} onClose={() => setError(null)} />
      <ErrorBanner error={data.error} title="Could not refresh:" />

      <CallCard agent={a} now={now} />

      <section class="card" aria-labelledby="my-queues">
        <div class="card-head">
          <h2 id="my-queues">My queues</h2>
          <span class="cell-sub">{a.queues.filter((q) => q.static || q.logged_in).length} of {a.queues.length} connected</span>
        </div>
        {a.queues.length === 0 ? (
          <Empty icon="queue" title="No queues">This agent is a member of no queue.</Empty>
        ) : (
          <ul class="widget-queues">
            {a.queues.map((m) => {
              const q = queues.find((x) => x.name === m.queue);
              const connected = m.static || m.logged_in;
              return (
                <li class={`widget-queue ${connected ? 'on' : 'off'}`} data-queue={m.queue}>
                  <div class="wq-main">
                    <div class="cell-title">{m.queue}</div>
                    <div class="cell-sub">
                      {q ? <>ext. <span class="mono">{q.extension}</span> · </> : null}
                      {q ? (q.waiting.length ? <strong class="warn-text">{q.waiting.length} waiting</strong> : 'nobody waiting') : ''}
                      {m.level > 0 ? ` · level ${m.level}` : ''}
                    </div>
                  </div>
                  {m.static ? (
                    <span class="tag" title="Static member: always connected">Always connected</span>
                  ) : m.logged_in ? (
                    <button type="button" class="btn btn-sm btn-secondary" disabled={busy === m.queue}
                      aria-label={`Log out of ${m.queue}`} onClick={() => toggle(m.queue, false)}>
                      <Icon name="logout" /> Log out
                    </button>
                  ) : (
                    <button type="button" class="btn btn-sm btn-primary" disabled={busy === m.queue}
                      aria-label={`Log in to ${m.queue}`} onClick={() => toggle(m.queue, true)}>
                      <Icon name="login" /> Log in
                    </button>
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </section>

      <section class="card" aria-labelledby="my-today">
        <div class="card-head">
          <h2 id="my-today">Today</h2>
          <a href={href.reports(`period=today&agent=${encodeURIComponent(a.id)}`)} class="link-sm">My report →</a>
        </div>
        <div class="mini-stats">
          <div><span class="mini-value">{data.data.today?.answered ?? 0}</span><span class="mini-label">answered</span></div>
          <div><span class="mini-value">{humanSeconds(data.data.today?.talk_s ?? 0)}</span><span class="mini-label">talk time</span></div>
          <div><span class="mini-value">{data.data.today?.handled || data.data.today?.answered ? shortSeconds(data.data.today?.aht_s ?? null) : '—'}</span><span class="mini-label">avg handle</span></div>
        </div>
      </section>
    </div>
  );
}

function CallCard({ agent: a, now }: { agent: Agent; now: number }) {
  const call = a.call;
  if (call && (call.state === 'ringing' || a.activity === 'ringing')) {
    return (
      <section class="card call-card call-ringing" role="alert" aria-label="Incoming call">
        <div class="call-icon ring" aria-hidden="true"><Icon name="phone" size={22} /></div>
        <div class="call-text">
          <div class="call-kicker">Incoming call · {call.queue}</div>
          <div class="call-caller" data-testid="caller-id">{callerLabel(call.caller)}</div>
          <div class="cell-sub">Answer on your phone · call {call.id}</div>
        </div>
      </section>
    );
  }
  if (call) {
    return (
      <section class="card call-card call-connected" aria-label="Current call">
        <div class="call-icon" aria-hidden="true"><Icon name="phone" size={22} /></div>
        <div class="call-text">
          <div class="call-kicker">On call · {call.queue}</div>
          <div class="call-caller">{callerLabel(call.caller)}</div>
          <div class="cell-sub">call {call.id}</div>
        </div>
        <div class="call-timer mono" aria-label="Call duration">{clock((now - call.since_ms) / 1000)}</div>
      </section>
    );
  }
  if (a.activity === 'wrap-up') {
    return (
      <section class="card call-card call-wrapup" aria-label="Current call">
        <div class="call-icon" aria-hidden="true"><Icon name="clock" size={22} /></div>
        <div class="call-text">
          <div class="call-kicker">Wrap-up</div>
          <div class="cell-sub">No queue call until wrap-up ends.</div>
        </div>
        {a.since_ms > 0 && <div class="call-timer mono">{clock((now - a.since_ms) / 1000)}</div>}
      </section>
    );
  }
  const connected = a.queues.some((q) => q.static || q.logged_in);
  const hint = !a.registered ? 'Register a phone to receive calls.'
    : a.presence !== 'ready' ? 'Set yourself Ready to receive queue calls.'
    : !connected ? 'Log in to a queue to receive its calls.'
    : a.on_other_call ? 'On a direct call.'
    : 'Waiting for the next call.';
  return (
    <section class="card call-card call-idle" aria-label="Current call">
      <div class="call-icon" aria-hidden="true"><Icon name="phone" size={22} /></div>
      <div class="call-text">
        <div class="call-kicker">No call</div>
        <div class="cell-sub">{hint}</div>
      </div>
    </section>
  );
}
