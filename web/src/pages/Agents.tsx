// Agents: each agent's phones, presence, current call and queues, live. Managers set presence,
// add, edit and delete agents, and edit the withdraw reasons.

import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, type Agent, type AgentSettings, type Presence } from '../lib/api';
import { agentState, callerLabel, clock } from '../lib/format';
import { useAction, useLiveData, useNow } from '../lib/hooks';
import { href } from '../lib/route';
import { isDialable } from '../lib/validate';
import { Icon } from '../components/Icon';
import { Badge, ConfirmDialog, Empty, ErrorBanner, Field, Modal, PageHeader, Spinner, toast } from '../components/ui';

/** The value of a presence select: "ready", "not available" or "withdrawn:REASON". */
export function presenceValue(a: { presence: Presence; reason: string }): string {
  return a.presence === 'withdrawn' ? `withdrawn:${a.reason}` : a.presence;
}

export function parsePresenceValue(v: string): { presence: Presence; reason?: string } {
  if (v.startsWith('withdrawn:')) return { presence: 'withdrawn', reason: v.slice('withdrawn:'.length) };
  return { presence: v as Presence };
}

export function PresenceOptions({ reasons, current }: { reasons: string[]; current?: { presence: Presence; reason: string } }) {
  const list = [...reasons];
  if (current?.presence === 'withdrawn' && current.reason && !list.includes(current.reason)) list.push(current.reason);
  return (
    <>
      <option value="ready">Ready</option>
      {list.map((r) => <option value={`withdrawn:${r}`}>Withdrawn: {r}</option>)}
      <option value="not available">Not available</option>
    </>
  );
}

interface AgentsData {
  agents: Agent[];
  reasons: string[];
}

export function AgentsPage() {
  const data = useLiveData<AgentsData>(async () => {
    const [agents, reasons] = await Promise.all([api.agents(), api.reasons()]);
    return { agents, reasons };
  }, []);
  const now = useNow(1000);
  // The agents' settings (GET /api/v1/config): who can be edited.
  const [config, setConfig] = useState<AgentSettings[] | null>(null);
  const [configError, setConfigError] = useState<ApiError | null>(null);
  const presence = useAction();
  const [editing, setEditing] = useState<AgentSettings | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Agent | null>(null);

  const loadConfig = () =>
    api.config().then((c) => { setConfig(c.agents); setConfigError(null); }, setConfigError);
  useEffect(() => { void loadConfig(); }, []);

  const setPresence = async (a: Agent, value: string) => {
    const p = parsePresenceValue(value);
    if (await presence.run(() => api.setPresence(a.id, p.presence, p.reason))) {
      toast(`${a.name}: ${p.presence === 'withdrawn' ? `withdrawn (${p.reason})` : p.presence}`);
      void data.reload();
    }
  };

  const agents = data.data?.agents ?? [];
  const reasons = data.data?.reasons ?? [];
  const canEdit = config !== null;
  const counts = { ready: 0, busy: 0, away: 0, phones: 0 };
  for (const a of agents) {
    const k = agentState(a).key;
    if (k === 'ready') counts.ready++;
    else if (k === 'ringing' || k === 'oncall' || k === 'wrapup') counts.busy++;
    else counts.away++;
    if (a.registered) counts.phones++;
  }

  return (
    <div class="page">
      <PageHeader title="Agents" subtitle={`${agents.length} agents · ${counts.ready} ready · ${counts.busy} busy · ${counts.phones} with a phone registered`}>
        <button type="button" class="btn btn-secondary" onClick={() => data.reload()} aria-label="Refresh agents"><Icon name="refresh" /> Refresh</button>
        {canEdit && <button type="button" class="btn btn-primary" onClick={() => setEditing('new')}><Icon name="plus" /> Add agent</button>}
      </PageHeader>
      <ErrorBanner error={presence.error} onClose={() => presence.setError(null)} />
      <ErrorBanner error={data.error} title="Could not load the agents:" />
      <ErrorBanner error={configError} title="Could not load the agents' settings:" />
      {data.loading && !data.data ? <Spinner label="Loading agents" /> : agents.length === 0 ? (
        <div class="card"><Empty icon="users" title="No agents">Agents are people with a SIP account; add them {canEdit ? 'with “Add agent”' : 'in the configuration'}.</Empty></div>
      ) : (
        <div class="card table-card">
          <table class="table agents-table" aria-label="Agents">
            <thead>
              <tr>
                <th scope="col">Agent</th>
                <th scope="col">Phones</th>
                <th scope="col">State</th>
                <th scope="col">Current call</th>
                <th scope="col">Queues</th>
                <th scope="col">Presence</th>
                {canEdit && <th scope="col"><span class="sr-only">Actions</span></th>}
              </tr>
            </thead>
            <tbody>
              {agents.map((a) => {
                const settings = config?.find((c) => c.id === a.id);
                return (
                  <AgentRow key={a.id} agent={a} now={now} reasons={reasons}
                    onPresence={(v) => setPresence(a, v)}
                    onEdit={settings ? () => setEditing(settings) : undefined}
                    onDelete={canEdit ? () => setDeleting(a) : undefined} />
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      {canEdit && <ReasonsCard initial={reasons} onSaved={() => void data.reload()} />}

      {editing && (
        <AgentDialog agent={editing === 'new' ? null : editing} onClose={() => setEditing(null)}
          onDone={(msg) => { setEditing(null); toast(msg); void data.reload(); void loadConfig(); }} />
      )}
      {deleting && (
        <ConfirmDialog title={`Delete agent ${deleting.id}?`} confirm="Delete agent"
          action={() => api.deleteAgent(deleting.id)} onClose={() => setDeleting(null)}
          onDone={() => { toast(`Agent ${deleting.id} deleted`); setDeleting(null); void data.reload(); void loadConfig(); }}>
          <p>{deleting.name} (extension <span class="mono">{deleting.extension}</span>) is removed from every queue. Phones registered to the account stop receiving calls. Past events stay in reports.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}

function AgentRow({ agent: a, now, reasons, onPresence, onEdit, onDelete }: {
  agent: Agent;
  now: number;
  reasons: string[];
  onPresence: (v: string) => void;
  onEdit?: () => void;
  onDelete?: () => void;
}) {
  const st = agentState(a);
  const since = a.since_ms > 0 ? Math.max(0, (now - a.since_ms) / 1000) : null;
  return (
    <tr data-agent={a.id}>
      <td data-label="Agent">
        <div class="agent-cell">
          <span class={`avatar avatar-${st.key}`} aria-hidden="true">{a.name.slice(0, 1).toUpperCase()}</span>
          <div>
            <div class="cell-title">{a.name}</div>
            <div class="cell-sub">{a.id} · ext. <span class="mono">{a.extension}</span></div>
          </div>
        </div>
      </td>
      <td data-label="Phones"><Phones agent={a} /></td>
      <td data-label="State">
        <Badge state={st.key}>{st.label}</Badge>
        {since !== null && <div class="cell-sub">for {clock(since)}</div>}
      </td>
      <td data-label="Current call"><CurrentCall agent={a} now={now} /></td>
      <td data-label="Queues">
        {a.queues.length === 0 ? <span class="muted">None</span> : (
          <ul class="chips">
            {a.queues.map((q) => (
              <li class={`chip chip-small ${q.logged_in ? '' : 'chip-off'}`} title={q.static ? 'Static: always connected' : q.logged_in ? 'Connected' : 'Not connected'}>
                <a href={href.reports(`queue=${encodeURIComponent(q.queue)}&period=today`)}>{q.queue}</a>
                <span class="chip-state">{q.static ? 'static' : q.logged_in ? 'in' : 'out'}</span>
              </li>
            ))}
          </ul>
        )}
      </td>
      <td data-label="Presence">
        <label class="sr-only" for={`presence-${a.id}`}>Presence of {a.name}</label>
        <select id={`presence-${a.id}`} class="select-sm" value={presenceValue(a)} onChange={(e) => onPresence(e.currentTarget.value)}>
          <PresenceOptions reasons={reasons} current={a} />
        </select>
      </td>
      {(onEdit || onDelete) && (
        <td class="actions-cell">
          <div class="row-actions">
            {onEdit && <button type="button" class="icon-button" aria-label={`Edit agent ${a.id}`} title="Edit" onClick={onEdit}><Icon name="edit" /></button>}
            {onDelete && <button type="button" class="icon-button danger" aria-label={`Delete agent ${a.id}`} title="Delete" onClick={onDelete}><Icon name="trash" /></button>}
          </div>
        </td>
      )}
    </tr>
  );
}

function Phones({ agent: a }: { agent: Agent }) {
  if (a.phones.length === 0) {
    return <span class="phone-status off"><span class="dot" aria-hidden="true" /> No phone registered</span>;
  }
  return (
    <ul class="phones">
      {a.phones.map((p) => (
        <li class="phone-status on">
          <span class="dot" aria-hidden="true" />
          <span>
            <span class="phone-contact mono">{p.contact}</span>
            <span class="cell-sub"> · expires in {p.expires_in_s} s</span>
          </span>
        </li>
      ))}
    </ul>
  );
}

export function CurrentCall({ agent: a, now }: { agent: Agent; now: number }) {
  if (!a.call) {
    if (a.activity === 'wrap-up') return <span class="muted">Wrap-up</span>;
    if (a.on_other_call) return <span class="muted">On a direct call</span>;
    return <span class="muted">—</span>;
  }
  const c = a.call;
  return (
    <div class="call-cell">
      <Badge state={c.state === 'ringing' ? 'ringing' : 'oncall'}>{c.state === 'ringing' ? 'Ringing' : 'Connected'}</Badge>
      <div class="cell-title">{callerLabel(c.caller)}</div>
      <div class="cell-sub">{c.queue} · call {c.id} · {clock((now - c.since_ms) / 1000)}</div>
    </div>
  );
}

function AgentDialog({ agent, onClose, onDone }: { agent: AgentSettings | null; onClose: () => void; onDone: (msg: string) => void }) {
  const [id, setId] = useState(agent?.id ?? '');
  const [name, setName] = useState(agent?.name ?? '');
  const [extension, setExtension] = useState(agent?.extension ?? '');
  const [password, setPassword] = useState('');
  const { busy, error, setError, run } = useAction();
  const fieldError = (f: string) => (error && error.field === f ? error.reason : undefined);

  const submit = async (e: Event) => {
    e.preventDefault();
    const ext = extension.trim();
    if (!agent && !id.trim()) return setError(new ApiError(400, 'id: required', 'id'));
    if (!isDialable(ext)) {
      return setError(new ApiError(400, `extension: '${ext}' is not dialable (use up to 32 digits, '*' and '#')`, 'extension'));
    }
    const saved = await run(() => agent
      ? api.updateAgent(agent.id, { name: name.trim() || agent.id, extension: ext, ...(password ? { password } : {}) })
      : api.createAgent({ id: id.trim(), name: name.trim() || id.trim(), extension: ext, password }));
    if (saved) onDone(agent ? `Agent ${agent.id} saved` : `Agent ${id.trim()} added`);
  };
  return (
    <Modal title={agent ? `Edit agent ${agent.id}` : 'Add agent'} onClose={onClose}
      footer={<>
        <button type="button" class="btn btn-secondary" onClick={onClose}>Cancel</button>
        <button type="submit" form="agent-form" class="btn btn-primary" disabled={busy}>{agent ? 'Save' : 'Add agent'}</button>
      </>}>
      <form id="agent-form" onSubmit={submit} noValidate>
        <ErrorBanner error={error} />
        <Field id="agent-id" label="Login id" error={fieldError('id')} hint={agent ? 'The id cannot be changed.' : 'Unique; the agent signs in with it (e.g. alice).'}>
          <input id="agent-id" value={id} disabled={Boolean(agent)} onInput={(e) => setId(e.currentTarget.value)} autoComplete="off" />
        </Field>
        <Field id="agent-name" label="Display name" error={fieldError('name')}>
          <input id="agent-name" value={name} onInput={(e) => setName(e.currentTarget.value)} autoComplete="off" />
        </Field>
        <Field id="agent-extension" label="Extension" error={fieldError('extension')} hint="The SIP account the agent's phones register to.">
          <input id="agent-extension" class="mono" value={extension} onInput={(e) => setExtension(e.currentTarget.value)} autoComplete="off" />
        </Field>
        <Field id="agent-password" label="SIP password" error={fieldError('password')}
          hint={agent ? (agent.has_password ? 'Leave empty to keep the current password.' : 'No password yet: phones cannot register.') : 'Phones register with it; the agent signs in to the widget with it.'}>
          <input id="agent-password" type="password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} autoComplete="new-password" />
        </Field>
      </form>
    </Modal>
  );
}

function ReasonsCard({ initial, onSaved }: { initial: string[]; onSaved: () => void }) {
  const [reasons, setReasons] = useState<string[]>(initial);
  const [dirty, setDirty] = useState(false);
  const [next, setNext] = useState('');
  const { error, setError, run } = useAction();
  useEffect(() => { if (!dirty) setReasons(initial); }, [initial.join('\n')]);
  const add = () => {
    const r = next.trim();
    if (!r) return;
    if (reasons.includes(r)) {
      setError(new ApiError(400, `withdraw_reasons: '${r}' is listed twice`, 'reasons'));
      return;
    }
    setReasons([...reasons, r]);
    setNext('');
    setDirty(true);
    setError(null);
  };
  const save = async () => {
    if (await run(() => api.setReasons(reasons))) {
      setDirty(false);
      toast('Withdraw reasons saved');
      onSaved();
    }
  };
  return (
    <section class="card reasons-card" aria-labelledby="reasons-title">
      <div class="form-section-head">
        <h2 id="reasons-title">Withdraw reasons</h2>
        <p>What an agent may give when Withdrawn (no queue calls, still counted as workforce). "no answer" is always accepted: callq sets it itself.</p>
      </div>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      <ul class="chips">
        {reasons.map((r) => (
          <li class="chip">
            <span>{r}</span>
            <button type="button" class="chip-x" aria-label={`Remove reason ${r}`} onClick={() => { setReasons(reasons.filter((x) => x !== r)); setDirty(true); }}><Icon name="x" size={12} /></button>
          </li>
        ))}
        {reasons.length === 0 && <li class="muted">No reasons: agents can only be Ready or Not available.</li>}
      </ul>
      <div class="inline-form">
        <label class="sr-only" for="new-reason">New reason</label>
        <input id="new-reason" placeholder="e.g. meeting" value={next} onInput={(e) => setNext(e.currentTarget.value)}
          onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); add(); } }} />
        <button type="button" class="btn btn-secondary btn-sm" onClick={add}><Icon name="plus" /> Add</button>
        <button type="button" class="btn btn-primary btn-sm" disabled={!dirty} onClick={save}>Save reasons</button>
      </div>
    </section>
  );
}
