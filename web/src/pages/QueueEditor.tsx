// Queue editor: every setting of a [[queue]] table (config/examples/full.toml), checked as
// `callq check` checks, saved through /api/v1/config/queues.

import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, type QueueSettings } from '../lib/api';
import { humanSeconds, strategyLabel } from '../lib/format';
import { href } from '../lib/route';
import {
  fieldOfError, formFromSettings, newQueueForm, validateQueueForm, type FieldErrors, type QueueForm, type ValidationContext,
} from '../lib/validate';
import { Icon } from '../components/Icon';
import { ErrorBanner, Field, PageHeader, Spinner, toast } from '../components/ui';
import { Destination, Members, NumberField, Section, TextField } from './queue/parts';

interface EditorData {
  form: QueueForm;
  agents: Array<{ id: string; name: string; extension: string }>;
  ctx: ValidationContext;
  /** The stored settings, sent back with the edits: keys this editor does not show survive. */
  stored: Partial<QueueSettings>;
}

async function loadEditor(name: string | null): Promise<EditorData> {
  const config = await api.config();
  const current = name ? config.queues.find((q) => q.name === name) ?? (await api.queueSettings(name)) : null;
  const agents = config.agents.map((a) => ({ id: a.id, name: a.name || a.id, extension: a.extension }));
  return {
    form: current ? formFromSettings(current) : newQueueForm(),
    agents,
    ctx: {
      agents,
      queues: config.queues.filter((q) => q.name !== name),
      music: config.music,
      strategies: config.strategies,
    },
    stored: current ?? {},
  };
}

export function QueueEditorPage({ name }: { name: string | null }) {
  const [data, setData] = useState<EditorData | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  useEffect(() => {
    loadEditor(name).then(setData, setLoadError);
  }, [name]);

  const title = name ? `Edit queue ${name}` : 'New queue';
  return (
    <div class="page page-narrow">
      <PageHeader title={title} subtitle={<a href={href.queues()} class="back-link">← Back to queues</a>} />
      {loadError ? <ErrorBanner error={loadError} title="Cannot open the queue:" /> : !data ? <Spinner label="Loading settings" /> : (
        <Editor data={data} original={name} />
      )}
    </div>
  );
}

function Editor({ data, original }: { data: EditorData; original: string | null }) {
  const [form, setForm] = useState<QueueForm>(data.form);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [banner, setBanner] = useState<ApiError | string | null>(null);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  const ctx = data.ctx;

  const set = <K extends keyof QueueForm>(key: K, value: QueueForm[K]) => {
    setForm((f) => {
      const next = { ...f, [key]: value };
      // Codes that followed the extension keep following it.
      if (key === 'extension') {
        if (f.login_code === `*41${f.extension}`) next.login_code = `*41${value as string}`;
        if (f.logout_code === `*42${f.extension}`) next.logout_code = `*42${value as string}`;
      }
      return next;
    });
    if (errors[key as string]) {
      setErrors((e) => {
        const { [key as string]: _gone, ...rest } = e;
        return rest;
      });
    }
  };

  const focusFirstError = () => {
    requestAnimationFrame(() => {
      const first = formRef.current?.querySelector<HTMLElement>('.field-invalid input, .field-invalid select, .field-invalid button');
      first?.focus();
    });
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setBanner(null);
    const v = validateQueueForm(form, ctx);
    setErrors(v.errors);
    if (!v.settings) {
      const n = Object.keys(v.errors).length;
      setBanner(`Check ${n === 1 ? 'the highlighted field' : `the ${n} highlighted fields`}: ${Object.values(v.errors)[0]}`);
      focusFirstError();
      return;
    }
    setBusy(true);
    try {
      const body = { ...data.stored, ...v.settings } as QueueSettings;
      const saved: QueueSettings = original
        ? await api.updateQueue(original, body)
        : await api.createQueue(body);
      toast(original ? `Queue ${saved?.name ?? original} saved` : `Queue ${saved?.name ?? v.settings.name} created`);
      location.hash = href.queues();
    } catch (err) {
      const ae = err as ApiError;
      setBusy(false);
      setBanner(ae);
      const field = fieldOfError(ae.field);
      if (field) {
        setErrors({ [field]: ae.reason });
        focusFirstError();
      }
    }
  };

  const agentName = (id: string) => data.agents.find((a) => a.id === id)?.name ?? id;
  const ringTime = Number(form.ring_time);
  const otherQueues = ctx.queues.map((q) => q.name);

  return (
    <form ref={formRef} class="editor" onSubmit={submit} noValidate aria-label={original ? `Settings of ${original}` : 'New queue settings'}>
      {banner && <ErrorBanner error={banner} onClose={() => setBanner(null)} />}

      <Section title="General" description="How callers and agents reach the queue.">
        <div class="grid">
          <TextField id="name" label="Name" form={form} errors={errors} set={set} disabled={Boolean(original)}
            hint={original ? 'A queue cannot be renamed.' : 'Used in reports and in "queue:<name>" actions.'} />
          <TextField id="extension" label="Extension" form={form} errors={errors} set={set} mono inputMode="tel"
            hint="The number callers dial (and agents transfer to)." />
          <TextField id="login_code" label="Connection code" form={form} errors={errors} set={set} mono
            placeholder={form.extension ? `*41${form.extension}` : '*41…'}
            hint={`Agents dial it to log in. Empty: *41${form.extension || '<extension>'}.`} />
          <TextField id="logout_code" label="Disconnection code" form={form} errors={errors} set={set} mono
            placeholder={form.extension ? `*42${form.extension}` : '*42…'}
            hint={`Agents dial it to log out. Empty: *42${form.extension || '<extension>'}.`} />
          <Field id="q-strategy" label="Strategy" error={errors.strategy} hint="Who is offered each call. Levels apply to every strategy." wide>
            <select id="q-strategy" value={form.strategy} aria-invalid={errors.strategy ? 'true' : undefined}
              onChange={(e) => set('strategy', e.currentTarget.value)}>
              {ctx.strategies.map((s) => <option value={s}>{strategyLabel(s)} ({s})</option>)}
            </select>
          </Field>
        </div>
      </Section>

      <Section title="Ringing" description="How agents' phones are rung.">
        <div class="grid">
          <NumberField id="ring_time" label="Ring time" unit="s" form={form} errors={errors} set={set}
            hint={Number.isFinite(ringTime) && ringTime > 0 ? `Per agent, then the call moves on (${ringTime % 5 === 0 ? `${ringTime / 5} rings of 5 s` : humanSeconds(ringTime)}).` : 'Seconds ringing at one agent before the call moves on.'} />
          <NumberField id="retry" label="Pause between rounds" unit="s" form={form} errors={errors} set={set} hint="Seconds before ringing again." />
          <NumberField id="wrap_up" label="Wrap-up time" unit="s" form={form} errors={errors} set={set} hint="After a call, the agent gets no queue call for this long." />
          <NumberField id="max_no_answer" label="Withdraw after unanswered calls" form={form} errors={errors} set={set} hint='Consecutive unanswered offers before the agent is set Withdrawn ("no answer"). 0 = never.' />
        </div>
      </Section>

      <Section title="Waiting" description="Limits on callers in the queue, and when nobody can answer.">
        <div class="grid">
          <NumberField id="max_wait" label="Maximum wait" unit="s" form={form} errors={errors} set={set} hint="Then the timeout action. 0 = unlimited." />
          <NumberField id="max_callers" label="Maximum callers" form={form} errors={errors} set={set} hint="Callers arriving at a full queue get the overflow action. 0 = unlimited." />
          <NumberField id="wait_time_withdrawn" label="Wait time when all withdrawn" unit="s" optional form={form} errors={errors} set={set}
            hint="Wait time 1: every connected agent Withdrawn. Then the timeout action. Empty = no limit." />
          <NumberField id="wait_time_empty" label="Wait time when nobody is connected" unit="s" optional form={form} errors={errors} set={set}
            hint="Wait time 2: no agent connected, or all Not available. Then the overflow action. 0 = leave at once; empty = no limit." />
          <Field id="q-join_empty" label="New callers while nobody is connected" error={errors.join_empty}>
            <select id="q-join_empty" value={form.join_empty} onChange={(e) => set('join_empty', e.currentTarget.value as 'allow' | 'refuse')}>
              <option value="allow">Let them join and wait (allow)</option>
              <option value="refuse">Refuse them: overflow action (refuse)</option>
            </select>
          </Field>
        </div>
      </Section>

      <Section title="When the queue gives up" description="Where callers go on timeout and overflow. Callers may also leave with a key.">
        <div class="grid">
          <Field id="q-timeout_action" label="Timeout action" error={errors.timeout_action} hint="Maximum wait, or wait time 1, reached.">
            <Destination id="q-timeout_action" label="Timeout action" value={form.timeout_action} queues={otherQueues}
              invalid={Boolean(errors.timeout_action)} onChange={(v) => set('timeout_action', v)} allowWait />
          </Field>
          <Field id="q-overflow_action" label="Overflow action" error={errors.overflow_action} hint="Wait time 2 reached, queue full, or caller refused.">
            <Destination id="q-overflow_action" label="Overflow action" value={form.overflow_action} queues={otherQueues}
              invalid={Boolean(errors.overflow_action)} onChange={(v) => set('overflow_action', v)} allowWait />
          </Field>
        </div>
        <div class={`subsection ${errors.exit_keys ? 'field-invalid' : ''}`} data-field="q-exit_keys">
          <h3 id="exit-keys-title">Exit keys</h3>
          <p class="field-hint">A waiting caller presses a key to leave for a destination.</p>
          {form.exit_keys.length === 0 ? <p class="muted">No exit keys.</p> : (
            <ul class="exit-keys" aria-labelledby="exit-keys-title">
              {form.exit_keys.map((row, i) => (
                <li class="exit-key">
                  <label class="sr-only" for={`q-exit-key-${i}`}>Key {i + 1}</label>
                  <select id={`q-exit-key-${i}`} class="key-select" value={row.key}
                    onChange={(e) => set('exit_keys', form.exit_keys.map((r, j) => j === i ? { ...r, key: e.currentTarget.value } : r))}>
                    {'0123456789*#ABCD'.split('').map((k) => <option value={k}>{k}</option>)}
                  </select>
                  <span aria-hidden="true">→</span>
                  <Destination id={`q-exit-action-${i}`} label={`Destination of key ${row.key}`} value={row.action} queues={otherQueues}
                    onChange={(v) => set('exit_keys', form.exit_keys.map((r, j) => j === i ? { ...r, action: v } : r))} />
                  <button type="button" class="icon-button danger" aria-label={`Remove key ${row.key}`}
                    onClick={() => set('exit_keys', form.exit_keys.filter((_, j) => j !== i))}><Icon name="trash" /></button>
                </li>
              ))}
            </ul>
          )}
          {errors.exit_keys && <p class="field-error" role="alert"><Icon name="alert" size={14} /> {errors.exit_keys}</p>}
          <button type="button" class="btn btn-secondary btn-sm" onClick={() => {
            const used = new Set(form.exit_keys.map((r) => r.key));
            const free = '0123456789*#ABCD'.split('').find((k) => !used.has(k)) ?? '0';
            set('exit_keys', [...form.exit_keys, { key: free, action: 'hangup' }]);
          }}><Icon name="plus" /> Add exit key</button>
        </div>
      </Section>

      <Section title="Audio and statistics">
        <div class="grid">
          <Field id="q-hold_audio" label="Hold audio" error={errors.hold_audio} hint='What waiting callers hear: "ringback" or a music class of [music].'>
            <select id="q-hold_audio" value={form.hold_audio} aria-invalid={errors.hold_audio ? 'true' : undefined}
              onChange={(e) => set('hold_audio', e.currentTarget.value)}>
              {(ctx.music.includes(form.hold_audio) ? ctx.music : [...ctx.music, form.hold_audio]).map((m) => (
                <option value={m}>{m === 'ringback' ? 'Ringback tone (ringback)' : m}</option>
              ))}
            </select>
          </Field>
          <NumberField id="service_level" label="Service level threshold" unit="s" form={form} errors={errors} set={set} hint="Calls answered within it count toward the service level." />
          <TextField id="weight" label="Weight" form={form} errors={errors} set={set} inputMode="decimal"
            hint="When an agent serves several queues, higher favours this queue." />
          <NumberField id="stats_window" label="Statistics window" unit="s" form={form} errors={errors} set={set}
            hint={`Used by fewest-calls and least-talk-time (${humanSeconds(Number(form.stats_window))}).`} />
        </div>
      </Section>

      <Section title="Members" description="Agents who may take this queue's calls, in order (round-robin and linear follow it). Lower levels are offered calls first.">
        <Members form={form} set={set} agents={data.agents} error={errors.members} agentName={agentName} />
      </Section>

      <div class="editor-foot">
        <a class="btn btn-secondary" href={href.queues()}>Cancel</a>
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {busy ? 'Saving…' : original ? 'Save changes' : 'Create queue'}
        </button>
      </div>
    </form>
  );
}
