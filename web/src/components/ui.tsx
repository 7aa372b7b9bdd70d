// Small shared pieces: state badges, banners, empty states, figures, modal and confirmation
// dialogs, toasts, form fields.

import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../lib/api';
import { useAction } from '../lib/hooks';
import type { StateKey } from '../lib/format';
import { Icon } from './Icon';

export function Badge({ state, children, title }: { state: StateKey | 'neutral' | 'info' | 'static' | 'danger'; children: ComponentChildren; title?: string }) {
  return <span class={`badge badge-${state}`} title={title}>{children}</span>;
}

/** An error from the API (its reason) or any text, as a banner. */
export function ErrorBanner({ error, onClose, title }: { error: ApiError | Error | string | null | undefined; onClose?: () => void; title?: string }) {
  if (!error) return null;
  const reason = typeof error === 'string' ? error : error instanceof ApiError ? error.reason : error.message;
  const field = error instanceof ApiError && error.field ? error.field : '';
  return (
    <div class="banner banner-error" role="alert">
      <Icon name="alert" size={18} />
      <div class="banner-text">
        {title && <strong>{title} </strong>}
        <span>{reason}</span>
        {field && <span class="banner-field"> (field: <code>{field}</code>)</span>}
      </div>
      {onClose && (
        <button type="button" class="icon-button" aria-label="Dismiss" onClick={onClose}>
          <Icon name="x" />
        </button>
      )}
    </div>
  );
}

export function Empty({ icon = 'queue', title, children }: { icon?: string; title: string; children?: ComponentChildren }) {
  return (
    <div class="empty">
      <div class="empty-icon"><Icon name={icon} size={28} /></div>
      <p class="empty-title">{title}</p>
      {children && <div class="empty-text">{children}</div>}
    </div>
  );
}

export function Spinner({ label = 'Loading' }: { label?: string }) {
  return <div class="spinner" role="status" aria-label={label}><span /></div>;
}

/** A figure tile: a big value over its label. */
export function Kpi({ label, value, tone }: { label: string; value: string; tone?: 'ok' | 'warn' }) {
  return (
    <div class={`kpi ${tone ? `kpi-${tone}` : ''}`}>
      <div class="kpi-value">{value}</div>
      <div class="kpi-label">{label}</div>
    </div>
  );
}

export function Modal({ title, onClose, children, footer }: {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  footer?: ComponentChildren;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useRef(`modal-${Math.random().toString(36).slice(2)}`).current;
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const first = ref.current?.querySelector<HTMLElement>('input, select, textarea, button:not(.modal-close)');
    first?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    addEventListener('keydown', onKey);
    return () => {
      removeEventListener('keydown', onKey);
      previous?.focus?.();
    };
  }, []);
  return (
    <div class="modal-backdrop" onMouseDown={(e) => { if (e.target === e.currentTarget) onClose(); }}>
      <div class="modal" role="dialog" aria-modal="true" aria-labelledby={titleId} ref={ref}>
        <div class="modal-head">
          <h2 id={titleId}>{title}</h2>
          <button type="button" class="icon-button modal-close" aria-label="Close" onClick={onClose}><Icon name="x" /></button>
        </div>
        <div class="modal-body">{children}</div>
        {footer && <div class="modal-foot">{footer}</div>}
      </div>
    </div>
  );
}

/**
 * A dialog asking to confirm one request: `action` runs it; the dialog stays open with the
 * server's refusal, or calls onDone.
 */
export function ConfirmDialog({ title, confirm, tone = 'danger', disabled, action, onClose, onDone, children }: {
  title: string;
  /** The confirming button's text. */
  confirm: string;
  tone?: 'danger' | 'primary';
  disabled?: boolean;
  action: () => Promise<unknown>;
  onClose: () => void;
  onDone: () => void;
  children: ComponentChildren;
}) {
  const act = useAction();
  return (
    <Modal title={title} onClose={onClose}
      footer={<>
        <button type="button" class="btn btn-secondary" onClick={onClose}>Cancel</button>
        <button type="button" class={`btn btn-${tone}`} disabled={disabled || act.busy}
          onClick={async () => { if (await act.run(action)) onDone(); }}>{confirm}</button>
      </>}>
      <ErrorBanner error={act.error} />
      {children}
    </Modal>
  );
}

// --- Toasts --------------------------------------------------------------------------------------

type Toast = { id: number; text: string };
let toasts: Toast[] = [];
let nextToast = 1;
const toastListeners = new Set<(t: Toast[]) => void>();

export function toast(text: string): void {
  const t = { id: nextToast++, text };
  toasts = [...toasts, t].slice(-4);
  toastListeners.forEach((fn) => fn(toasts));
  setTimeout(() => {
    toasts = toasts.filter((x) => x.id !== t.id);
    toastListeners.forEach((fn) => fn(toasts));
  }, 4000);
}

export function Toasts() {
  const [list, setList] = useState<Toast[]>(toasts);
  useEffect(() => {
    toastListeners.add(setList);
    return () => { toastListeners.delete(setList); };
  }, []);
  return (
    <div class="toasts" role="status" aria-live="polite">
      {list.map((t) => (
        <div key={t.id} class="toast">
          <Icon name="check" />
          <span>{t.text}</span>
        </div>
      ))}
    </div>
  );
}

// --- Form fields ---------------------------------------------------------------------------------

/** A labelled control with a hint and its error under it (the control gets aria-invalid). */
export function Field({ id, label, hint, error, children, wide }: {
  id: string;
  label: string;
  hint?: ComponentChildren;
  error?: string;
  children: ComponentChildren;
  wide?: boolean;
}) {
  return (
    <div class={`field ${error ? 'field-invalid' : ''} ${wide ? 'field-wide' : ''}`} data-field={id}>
      <label for={id}>{label}</label>
      {children}
      {error ? (
        <p class="field-error" id={`${id}-error`} role="alert"><Icon name="alert" size={14} /> {error}</p>
      ) : hint ? (
        <p class="field-hint" id={`${id}-hint`}>{hint}</p>
      ) : null}
    </div>
  );
}

export function PageHeader({ title, subtitle, children }: { title: string; subtitle?: ComponentChildren; children?: ComponentChildren }) {
  return (
    <div class="page-header">
      <div>
        <h1>{title}</h1>
        {subtitle && <p class="page-subtitle">{subtitle}</p>}
      </div>
      {children && <div class="page-actions">{children}</div>}
    </div>
  );
}
