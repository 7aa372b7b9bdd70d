// The report's filters: period presets or from/to, event types (check all / uncheck all), queue,
// agent, call id, chart interval; Apply puts them in the hash. Export downloads the server's
// events.csv for the applied filters.

import { useEffect, useState } from 'preact/hooks';
import type { Agent, Queue } from '../../lib/api';
import { ALL_TYPES, EVENT_TYPES, PERIODS, checkFilters, reportQuery, type Interval, type ReportFilters } from '../../lib/report';
import { href } from '../../lib/route';
import { Icon } from '../../components/Icon';

export function Filters({ applied, manager, queues, agents, csv, onReload }: {
  applied: ReportFilters;
  onReload: () => void;
  manager: boolean;
  queues: Queue[];
  agents: Agent[];
  /** The export's address and file name; null while the report is not loaded. */
  csv: { href: string; name: string } | null;
}) {
  const [draft, setDraft] = useState<ReportFilters>(applied);
  const [selected, setSelected] = useState<Set<string>>(new Set(applied.types.length ? applied.types : ALL_TYPES));
  const [open, setOpen] = useState(false);
  const checked = ALL_TYPES.filter((t) => selected.has(t));
  const [problem, setProblem] = useState<{ field: string; reason: string } | null>(null);

  useEffect(() => {
    setDraft(applied);
    setSelected(new Set(applied.types.length ? applied.types : ALL_TYPES));
  }, [applied]);

  useEffect(() => {
    if (!open) return undefined;
    const onKey = (e: KeyboardEvent) => { if (e.key === 'Escape') setOpen(false); };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, [open]);

  const set = <K extends keyof ReportFilters>(k: K, v: ReportFilters[K]) => {
    setDraft((d) => ({ ...d, [k]: v }));
    setProblem(null);
  };

  const apply = (e: Event) => {
    e.preventDefault();
    if (checked.length === 0) {
      setProblem({ field: 'type', reason: 'Check at least one event type.' });
      setOpen(true);
      return;
    }
    const next: ReportFilters = {
      ...draft,
      types: checked.length === ALL_TYPES.length ? [] : checked,
    };
    const p = checkFilters(next);
    if (p) {
      setProblem(p);
      return;
    }
    setOpen(false);
    const q = reportQuery(next, 'hash');
    if (location.hash === href.reports(q)) {
      onReload(); // same filters: Apply fetches again
    } else {
      location.hash = href.reports(q);
    }
  };

  const typesSummary = checked.length === ALL_TYPES.length ? `All (${ALL_TYPES.length})`
    : checked.length === 0 ? 'None' : checked.length <= 2 ? checked.join(', ') : `${checked.length} of ${ALL_TYPES.length}`;

  return (
    <form class="card filters" onSubmit={apply} noValidate aria-label="Report filters">
      <div class="filters-grid">
        <div class="field">
          <label for="rp-period">Period</label>
          <select id="rp-period" value={draft.period} onChange={(e) => set('period', e.currentTarget.value)}>
            {PERIODS.map((p) => <option value={p.value}>{p.label}</option>)}
          </select>
        </div>
        <div class={`field ${problem?.field === 'from' ? 'field-invalid' : ''}`}>
          <label for="rp-from">From</label>
          <input id="rp-from" type="datetime-local" value={draft.from}
            onInput={(e) => { const v = e.currentTarget.value; setDraft((d) => ({ ...d, from: v, period: 'custom' })); setProblem(null); }} />
        </div>
        <div class={`field ${problem?.field === 'to' ? 'field-invalid' : ''}`}>
          <label for="rp-to">To</label>
          <input id="rp-to" type="datetime-local" value={draft.to}
            onInput={(e) => { const v = e.currentTarget.value; setDraft((d) => ({ ...d, to: v, period: 'custom' })); setProblem(null); }} />
        </div>
        <div class={`field types-field ${problem?.field === 'type' ? 'field-invalid' : ''}`}>
          <span class="label" id="rp-types-label">Event types</span>
          <button type="button" class="select-like" aria-haspopup="true" aria-expanded={open} aria-controls="rp-types"
            aria-labelledby="rp-types-label rp-types-summary" onClick={() => setOpen(!open)}>
            <span id="rp-types-summary">{typesSummary}</span>
            <Icon name="down" size={14} />
          </button>
        </div>
        <div class="field">
          <label for="rp-queue">Queue</label>
          <select id="rp-queue" value={draft.queue} onChange={(e) => set('queue', e.currentTarget.value)}>
            <option value="">All queues</option>
            {queues.map((q) => <option value={q.name}>{q.name}</option>)}
            {draft.queue && !queues.some((q) => q.name === draft.queue) && <option value={draft.queue}>{draft.queue}</option>}
          </select>
        </div>
        {manager && (
          <div class="field">
            <label for="rp-agent">Agent</label>
            <select id="rp-agent" value={draft.agent} onChange={(e) => set('agent', e.currentTarget.value)}>
              <option value="">All agents</option>
              {agents.map((a) => <option value={a.id}>{a.name} ({a.id})</option>)}
              {draft.agent && !agents.some((a) => a.id === draft.agent) && <option value={draft.agent}>{draft.agent}</option>}
            </select>
          </div>
        )}
        <div class={`field ${problem?.field === 'call' ? 'field-invalid' : ''}`}>
          <label for="rp-call">Call id</label>
          <input id="rp-call" inputMode="numeric" placeholder="any" value={draft.call} onInput={(e) => set('call', e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="rp-interval">Chart interval</label>
          <select id="rp-interval" value={draft.interval} onChange={(e) => set('interval', e.currentTarget.value as Interval | '')}>
            <option value="">Automatic</option>
            <option value="15min">15 minutes</option>
            <option value="hour">Hour</option>
            <option value="day">Day</option>
          </select>
        </div>
      </div>
      {open && (
        <div class="types-panel" id="rp-types" role="group" aria-label="Event types">
          <div class="types-actions">
            <button type="button" class="btn btn-sm btn-secondary" onClick={() => { setSelected(new Set(ALL_TYPES)); setProblem(null); }}>Check all</button>
            <button type="button" class="btn btn-sm btn-secondary" onClick={() => setSelected(new Set())}>Uncheck all</button>
            <span class="cell-sub">{checked.length} of {ALL_TYPES.length} checked</span>
          </div>
          <ul>
            {EVENT_TYPES.map((t) => (
              <li>
                <label class="check">
                  <input type="checkbox" checked={selected.has(t.type)} onChange={(e) => {
                    const next = new Set(selected);
                    if (e.currentTarget.checked) next.add(t.type); else next.delete(t.type);
                    setSelected(next);
                    setProblem(null);
                  }} />
                  <span><span class="mono type-code">{t.type}</span> <span class="type-label">{t.label}</span></span>
                </label>
              </li>
            ))}
          </ul>
        </div>
      )}
      {problem && <p class="field-error" role="alert"><Icon name="alert" size={14} /> {problem.reason}</p>}
      <div class="filters-foot">
        <span class="cell-sub">Statistics follow the period and the queue or agent; event types and call id filter the events.</span>
        <div class="filters-buttons">
          <button type="submit" class="btn btn-primary"><Icon name="filter" /> Apply</button>
          {csv ? (
            <a class="btn btn-secondary" href={csv.href} download={csv.name} title="Download every event matching the filters">
              <Icon name="download" /> Export to CSV
            </a>
          ) : (
            <button type="button" class="btn btn-secondary" disabled><Icon name="download" /> Export to CSV</button>
          )}
        </div>
      </div>
    </form>
  );
}
