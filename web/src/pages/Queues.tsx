// Queues dashboard: every queue with its numbers, connected agents and waiting callers, live.
// Connect / disconnect agents, open the report, edit, delete.

import { useState } from 'preact/hooks';
import { api, type Member, type Queue } from '../lib/api';
import { agentState, callerLabel, clock, strategyLabel } from '../lib/format';
import { useAction, useLiveData, useNow } from '../lib/hooks';
import { href } from '../lib/route';
import { Icon } from '../components/Icon';
import { Badge, ConfirmDialog, Empty, ErrorBanner, Kpi, PageHeader, Spinner, toast } from '../components/ui';

export function QueuesPage() {
  const queues = useLiveData(() => api.queues(), []);
  const now = useNow(1000);
  const [connecting, setConnecting] = useState<Queue | null>(null);
  const [deleting, setDeleting] = useState<Queue | null>(null);
  const disconnecting = useAction();
  const [refreshing, setRefreshing] = useState(false);

  const list = queues.data ?? [];
  const elapsed = queues.loadedAt ? Math.max(0, (now - queues.loadedAt) / 1000) : 0;
  const totals = summarize(list, elapsed);

  const disconnect = async (q: Queue, m: Member) => {
    if (await disconnecting.run(() => api.disconnect(q.name, m.agent))) {
      toast(`${m.name} disconnected from ${q.name}`);
      void queues.reload();
    }
  };

  const refresh = () => {
    setRefreshing(true);
    void queues.reload().then(() => setRefreshing(false));
  };

  return (
    <div class="page">
      <PageHeader title="Queues" subtitle={`${list.length} ${list.length === 1 ? 'queue' : 'queues'} · connected agents and waiting callers, live`}>
        <button type="button" class="btn btn-secondary" onClick={refresh} disabled={refreshing} aria-label="Refresh">
          <Icon name="refresh" /> <span>{refreshing ? 'Refreshing…' : 'Refresh'}</span>
        </button>
        <a class="btn btn-primary" href={href.newQueue()}><Icon name="plus" /> New queue</a>
      </PageHeader>

      <div class="kpis" aria-label="Summary">
        <Kpi label="Waiting now" value={String(totals.waiting)} tone={totals.waiting > 0 ? 'warn' : undefined} />
        <Kpi label="Longest wait" value={totals.waiting ? clock(totals.longest) : '—'} />
        <Kpi label="Ready, phone registered" value={String(totals.ready)} tone="ok" />
        <Kpi label="On call" value={String(totals.onCall)} />
      </div>

      <ErrorBanner error={disconnecting.error} onClose={() => disconnecting.setError(null)} />
      <ErrorBanner error={queues.error} title="Could not load the queues:" />

      {queues.loading && !queues.data ? (
        <Spinner label="Loading queues" />
      ) : list.length === 0 ? (
        <div class="card">
          <Empty title="No queues yet" icon="queue">
            A queue gives callers one number to dial. <a href={href.newQueue()}>Create the first queue</a>.
          </Empty>
        </div>
      ) : (
        <div class="card table-card">
          <table class="table queues-table" aria-label="Queues">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Extension</th>
                <th scope="col">Connection code</th>
                <th scope="col">Disconnection code</th>
                <th scope="col">Connected agents</th>
                <th scope="col">Waiting</th>
                <th scope="col"><span class="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {list.map((q) => (
                <QueueRow key={q.name} queue={q} elapsed={elapsed}
                  onConnect={() => setConnecting(q)}
                  onDisconnect={(m) => disconnect(q, m)}
                  onDelete={() => setDeleting(q)} />
              ))}
            </tbody>
          </table>
        </div>
      )}

      {connecting && (
        <ConnectDialog queue={list.find((q) => q.name === connecting.name) ?? connecting}
          onClose={() => setConnecting(null)}
          onDone={(name) => { setConnecting(null); toast(`${name} connected to ${connecting.name}`); void queues.reload(); }} />
      )}
      {deleting && (
        <ConfirmDialog title={`Delete queue ${deleting.name}?`} confirm="Delete queue"
          action={() => api.deleteQueue(deleting.name)} onClose={() => setDeleting(null)}
          onDone={() => { toast(`Queue ${deleting.name} deleted`); setDeleting(null); void queues.reload(); }}>
          <p>
            Callers will no longer reach extension <strong class="mono">{deleting.extension}</strong>, and its agents
            are disconnected from it. Its past events stay in the reports.
          </p>
          {deleting.waiting.length > 0 && (
            <p class="warn-text"><Icon name="alert" /> {deleting.waiting.length} caller(s) are waiting: the server refuses while callers are in the queue.</p>
          )}
        </ConfirmDialog>
      )}
    </div>
  );
}

function summarize(list: Queue[], elapsed: number) {
  let waiting = 0;
  let longest = 0;
  const ready = new Set<string>();
  const onCall = new Set<string>();
  for (const q of list) {
    waiting += q.waiting.length;
    for (const w of q.waiting) longest = Math.max(longest, w.waited_s + elapsed);
    for (const m of q.members) {
      if (!m.logged_in) continue;
      const s = agentState(m).key;
      if (s === 'ready' && m.registered) ready.add(m.agent);
      if (s === 'oncall') onCall.add(m.agent);
    }
  }
  return { waiting, longest, ready: ready.size, onCall: onCall.size };
}

function QueueRow({ queue: q, elapsed, onConnect, onDisconnect, onDelete }: {
  queue: Queue;
  elapsed: number;
  onConnect: () => void;
  onDisconnect: (m: Member) => void;
  onDelete: () => void;
}) {
  const connected = q.members.filter((m) => m.static || m.logged_in);
  const others = q.members.length - connected.length;
  const canConnect = q.members.some((m) => !m.static && !m.logged_in);
  return (
    <tr data-queue={q.name}>
      <td data-label="Name">
        <div class="cell-title">{q.name}</div>
        <div class="cell-sub">{strategyLabel(q.strategy)}</div>
      </td>
      <td data-label="Extension"><span class="mono">{q.extension}</span></td>
      <td data-label="Connection code"><span class="mono">{q.login_code}</span></td>
      <td data-label="Disconnection code"><span class="mono">{q.logout_code}</span></td>
      <td data-label="Connected agents" class="agents-cell">
        {connected.length === 0 ? (
          <span class="muted">No agent connected</span>
        ) : (
          <ul class="chips" aria-label={`Agents connected to ${q.name}`}>
            {connected.map((m) => {
              const st = agentState(m);
              return (
                <li class="chip" data-agent={m.agent}>
                  <span class="chip-name">{m.name}</span>
                  <Badge state={st.key}>{st.label}</Badge>
                  {!m.registered && (
                    <span class="phone-off" title="No phone registered" aria-label="no phone registered" role="img">
                      <Icon name="phone-off" size={14} />
                    </span>
                  )}
                  {m.static ? (
                    <span class="tag" title="Static member: always connected">static</span>
                  ) : (
                    <button type="button" class="chip-x" aria-label={`Disconnect ${m.name} from ${q.name}`}
                      title="Disconnect" onClick={() => onDisconnect(m)}>
                      <Icon name="x" size={12} />
                    </button>
                  )}
                </li>
              );
            })}
          </ul>
        )}
        {others > 0 && <div class="cell-sub">{others} more {others === 1 ? 'member' : 'members'} not connected</div>}
      </td>
      <td data-label="Waiting" class="waiting-cell">
        <Waiting queue={q} elapsed={elapsed} />
      </td>
      <td class="actions-cell">
        <div class="row-actions">
          <button type="button" class="btn btn-sm btn-accent" onClick={onConnect} disabled={!canConnect}
            aria-label={`Connect an agent to ${q.name}`} title={canConnect ? 'Connect an agent' : 'Every member is connected'}>
            <Icon name="login" /> <span>Connect an agent</span>
          </button>
          <div class="icon-row">
          <a class="btn btn-sm btn-secondary" href={href.reports(`queue=${encodeURIComponent(q.name)}&period=today`)}
            aria-label={`Report of ${q.name}`} title="Report"><Icon name="chart" /><span class="btn-label">Report</span></a>
          <a class="btn btn-sm btn-secondary" href={href.editQueue(q.name)} aria-label={`Edit ${q.name}`} title="Edit"><Icon name="edit" /><span class="btn-label">Edit</span></a>
          <button type="button" class="icon-button danger" onClick={onDelete} aria-label={`Delete ${q.name}`} title="Delete">
            <Icon name="trash" />
          </button>
          </div>
        </div>
      </td>
    </tr>
  );
}

function Waiting({ queue: q, elapsed }: { queue: Queue; elapsed: number }) {
  if (q.waiting.length === 0) {
    return <span class="muted" aria-label={`No one waiting in ${q.name}`}>0</span>;
  }
  return (
    <div aria-label={`${q.waiting.length} waiting in ${q.name}`}>
      <div class="waiting-count">
        <span class="big">{q.waiting.length}</span> waiting
      </div>
      <ol class="waiting-list">
        {q.waiting.slice(0, 5).map((w) => (
          <li>
            <span class="pos">{w.position}</span>
            <span class="caller">{callerLabel(w.caller)}</span>
            <span class="mono wait">{clock(w.waited_s + elapsed)}</span>
            {w.ringing && <Badge state="ringing">ringing</Badge>}
          </li>
        ))}
      </ol>
      {q.waiting.length > 5 && <div class="cell-sub">and {q.waiting.length - 5} more</div>}
    </div>
  );
}

function ConnectDialog({ queue, onClose, onDone }: { queue: Queue; onClose: () => void; onDone: (name: string) => void }) {
  const candidates = queue.members.filter((m) => !m.static && !m.logged_in);
  const [agent, setAgent] = useState(candidates[0]?.agent ?? '');
  return (
    <ConfirmDialog title={`Connect an agent to ${queue.name}`} confirm="Connect" tone="primary" disabled={!agent}
      action={() => api.connect(queue.name, agent)} onClose={onClose}
      onDone={() => onDone(candidates.find((c) => c.agent === agent)?.name ?? agent)}>
      {candidates.length === 0 ? (
        <p>Every member of this queue is connected. Add members in the queue's settings.</p>
      ) : (
        <div class="field">
          <label for="connect-agent">Agent</label>
          <select id="connect-agent" value={agent} onChange={(e) => setAgent(e.currentTarget.value)}>
            {candidates.map((m) => (
              <option value={m.agent}>{m.name} ({m.agent}) · {agentState(m).label}{m.registered ? '' : ' · no phone'}</option>
            ))}
          </select>
          <p class="field-hint">Dynamic members only: static members are always connected.</p>
        </div>
      )}
    </ConfirmDialog>
  );
}
