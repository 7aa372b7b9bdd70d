// Pieces of the queue editor: a titled section, text and number fields, a destination picker
// (hangup, wait, queue:NAME, extension:EXT) and the ordered members list.

import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { destinationLabel } from '../../lib/format';
import type { FieldErrors, QueueForm } from '../../lib/validate';
import { Icon } from '../../components/Icon';
import { Field } from '../../components/ui';

export function Section({ title, description, children }: { title: string; description?: string; children: ComponentChildren }) {
  const id = `sec-${title.toLowerCase().replace(/[^a-z]+/g, '-')}`;
  return (
    <section class="card form-section" aria-labelledby={id}>
      <div class="form-section-head">
        <h2 id={id}>{title}</h2>
        {description && <p>{description}</p>}
      </div>
      {children}
    </section>
  );
}

type NumericKey = 'ring_time' | 'retry' | 'wrap_up' | 'max_wait' | 'max_callers' | 'service_level' | 'max_no_answer' |
  'wait_time_withdrawn' | 'wait_time_empty' | 'stats_window';
type TextKey = 'name' | 'extension' | 'login_code' | 'logout_code' | 'weight' | NumericKey;

interface TextFieldProps {
  id: TextKey;
  label: string;
  hint?: string;
  form: QueueForm;
  errors: FieldErrors;
  set: <K extends keyof QueueForm>(key: K, value: QueueForm[K]) => void;
  placeholder?: string;
  disabled?: boolean;
  mono?: boolean;
  inputMode?: 'text' | 'numeric' | 'decimal' | 'tel';
  /** Shown after the input ("s"). */
  unit?: string;
}

/** A text input bound to a form key, its error (aria-invalid, described by) or hint under it. */
export function TextField({ id, label, hint, form, errors, set, placeholder, disabled, mono, inputMode, unit }: TextFieldProps) {
  const fid = `q-${id}`;
  const err = errors[id];
  const input = (
    <input id={fid} class={mono ? 'mono' : undefined} inputMode={inputMode} value={form[id]} placeholder={placeholder}
      disabled={disabled} aria-invalid={err ? 'true' : undefined}
      aria-describedby={err ? `${fid}-error` : hint ? `${fid}-hint` : undefined}
      onInput={(e) => set(id, e.currentTarget.value)} autoComplete="off" />
  );
  return (
    <Field id={fid} label={label} error={err} hint={hint}>
      {unit ? <div class="input-unit">{input}<span class="unit" aria-hidden="true">{unit}</span></div> : input}
    </Field>
  );
}

/** A whole number (of seconds with unit "s"); optional ones show "no limit" when empty. */
export function NumberField({ id, label, unit, optional, ...rest }: Omit<TextFieldProps, 'id'> & { id: NumericKey; optional?: boolean }) {
  return (
    <TextField id={id} label={unit ? `${label} (${unit === 's' ? 'seconds' : unit})` : label} unit={unit}
      inputMode="numeric" placeholder={optional ? 'no limit' : undefined} {...rest} />
  );
}

/** A destination: hangup, wait, queue:NAME, extension:EXT (others kept as text). */
export function Destination({ id, label, value, queues, onChange, allowWait, invalid }: {
  id: string;
  label: string;
  value: string;
  queues: string[];
  onChange: (v: string) => void;
  allowWait?: boolean;
  invalid?: boolean;
}) {
  const colon = value.indexOf(':');
  const kindOf = colon < 0 ? value : value.slice(0, colon);
  const target = colon < 0 ? '' : value.slice(colon + 1);
  const known = ['hangup', 'wait', 'queue', 'extension'];
  const kind = known.includes(kindOf) ? kindOf : 'other';
  const change = (k: string) => {
    if (k === 'hangup' || k === 'wait') onChange(k);
    else if (k === 'queue') onChange(`queue:${queues[0] ?? ''}`);
    else if (k === 'extension') onChange('extension:');
    else onChange(value);
  };
  return (
    <div class="destination" title={destinationLabel(value)}>
      <select id={id} value={kind} aria-invalid={invalid ? 'true' : undefined} onChange={(e) => change(e.currentTarget.value)}>
        <option value="hangup">Hang up</option>
        {allowWait && <option value="wait">Keep waiting</option>}
        <option value="queue">Send to another queue</option>
        <option value="extension">Transfer to an extension</option>
        {kind === 'other' && <option value="other">Other: {value}</option>}
      </select>
      {kind === 'queue' && (
        <select aria-label={`${label}: queue`} value={target} onChange={(e) => onChange(`queue:${e.currentTarget.value}`)}>
          {!queues.includes(target) && <option value={target}>{target || '(choose a queue)'}</option>}
          {queues.map((q) => <option value={q}>{q}</option>)}
        </select>
      )}
      {kind === 'extension' && (
        <input aria-label={`${label}: extension`} class="mono" inputMode="tel" placeholder="e.g. 201" value={target}
          onInput={(e) => onChange(`extension:${e.currentTarget.value}`)} />
      )}
      {kind === 'other' && (
        <input aria-label={`${label}: destination`} class="mono" value={value} onInput={(e) => onChange(e.currentTarget.value)} />
      )}
    </div>
  );
}

export function Members({ form, set, agents, error, agentName }: {
  form: QueueForm;
  set: <K extends keyof QueueForm>(key: K, value: QueueForm[K]) => void;
  agents: Array<{ id: string; name: string; extension: string }>;
  error?: string;
  agentName: (id: string) => string;
}) {
  const available = agents.filter((a) => !form.members.some((m) => m.agent === a.id));
  const [adding, setAdding] = useState('');
  const pick = adding && available.some((a) => a.id === adding) ? adding : available[0]?.id ?? '';
  const update = (i: number, patch: Partial<QueueForm['members'][number]>) =>
    set('members', form.members.map((m, j) => (j === i ? { ...m, ...patch } : m)));
  const move = (i: number, by: number) => {
    const list = [...form.members];
    const j = i + by;
    if (j < 0 || j >= list.length) return;
    [list[i], list[j]] = [list[j], list[i]];
    set('members', list);
  };
  return (
    <div class={`members-editor ${error ? 'field-invalid' : ''}`} data-field="q-members">
      {form.members.length === 0 ? (
        <p class="muted">No members: nobody can take this queue's calls yet.</p>
      ) : (
        <table class="table members-table" aria-label="Members">
          <thead>
            <tr><th scope="col">#</th><th scope="col">Agent</th><th scope="col">Level</th><th scope="col">Static</th><th scope="col"><span class="sr-only">Order and removal</span></th></tr>
          </thead>
          <tbody>
            {form.members.map((m, i) => (
              <tr data-member={m.agent}>
                <td class="muted">{i + 1}</td>
                <td><span class="cell-title">{agentName(m.agent)}</span> <span class="cell-sub">{m.agent}</span></td>
                <td>
                  <input class="level-input" inputMode="numeric" aria-label={`Level of ${m.agent}`} value={m.level}
                    onInput={(e) => update(i, { level: e.currentTarget.value })} />
                </td>
                <td>
                  <label class="check">
                    <input type="checkbox" checked={m.static} aria-label={`Static ${m.agent}`}
                      onChange={(e) => update(i, { static: e.currentTarget.checked })} />
                    <span aria-hidden="true">{m.static ? 'always connected' : 'logs in'}</span>
                  </label>
                </td>
                <td class="actions-cell"><div class="row-actions">
                  <button type="button" class="icon-button" aria-label={`Move ${m.agent} up`} disabled={i === 0} onClick={() => move(i, -1)}><Icon name="up" /></button>
                  <button type="button" class="icon-button" aria-label={`Move ${m.agent} down`} disabled={i === form.members.length - 1} onClick={() => move(i, 1)}><Icon name="down" /></button>
                  <button type="button" class="icon-button danger" aria-label={`Remove ${m.agent}`} onClick={() => set('members', form.members.filter((_, j) => j !== i))}><Icon name="trash" /></button>
                </div></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {error && <p class="field-error" role="alert"><Icon name="alert" size={14} /> {error}</p>}
      {available.length > 0 && (
        <div class="add-member">
          <label for="q-add-member">Add member</label>
          <select id="q-add-member" value={pick} onChange={(e) => setAdding(e.currentTarget.value)}>
            {available.map((a) => <option value={a.id}>{a.name} ({a.id}, {a.extension})</option>)}
          </select>
          <button type="button" class="btn btn-secondary btn-sm" onClick={() => {
            if (!pick) return;
            set('members', [...form.members, { agent: pick, level: '0', static: false }]);
            setAdding('');
          }}><Icon name="plus" /> Add</button>
        </div>
      )}
    </div>
  );
}
