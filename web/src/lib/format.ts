// Formatting and state derivation shared by the pages (pure functions).

import type { Activity, Presence } from './api';

/** A clock-style duration: 0:07, 12:03, 1:02:03. Negative and NaN become 0:00. */
export function clock(seconds: number): string {
  const total = Number.isFinite(seconds) && seconds > 0 ? Math.floor(seconds) : 0;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** A readable amount of seconds for settings and statistics: "45 s", "2 min 30 s", "1 h 5 min", "2 d". */
export function humanSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) {
    return '—';
  }
  const s = Math.round(seconds);
  if (s < 60) {
    return `${s} s`;
  }
  if (s < 3600) {
    const m = Math.floor(s / 60);
    const r = s % 60;
    return r ? `${m} min ${r} s` : `${m} min`;
  }
  if (s < 86400) {
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    return m ? `${h} h ${m} min` : `${h} h`;
  }
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  return h ? `${d} d ${h} h` : `${d} d`;
}

/** Seconds with one decimal when under a minute ("3.0 s"), else humanSeconds. */
export function shortSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) {
    return '—';
  }
  return seconds < 60 ? `${seconds.toFixed(1)} s` : humanSeconds(seconds);
}

export function percent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) {
    return '—';
  }
  return `${Math.round(ratio * 1000) / 10}%`;
}

export type StateKey = 'ready' | 'withdrawn' | 'unavailable' | 'ringing' | 'oncall' | 'wrapup' | 'loggedout';

export interface AgentState {
  key: StateKey;
  label: string;
}

/** What a badge shows for an agent: its activity when busy, else its presence. */
export function agentState(a: { presence: Presence; reason?: string; activity: Activity }): AgentState {
  switch (a.activity) {
    case 'ringing':
      return { key: 'ringing', label: 'Ringing' };
    case 'on call':
      return { key: 'oncall', label: 'On call' };
    case 'wrap-up':
      return { key: 'wrapup', label: 'Wrap-up' };
    default:
      break;
  }
  switch (a.presence) {
    case 'ready':
      return { key: 'ready', label: 'Ready' };
    case 'withdrawn':
      return { key: 'withdrawn', label: a.reason ? `Withdrawn: ${a.reason}` : 'Withdrawn' };
    default:
      return { key: 'unavailable', label: 'Not available' };
  }
}

/** A caller id for display: "+33 1 23…" stays as it is; "sip:bob@host" loses its scheme. */
export function callerLabel(caller: string | undefined | null): string {
  if (!caller) {
    return 'Unknown caller';
  }
  return caller.replace(/^sips?:/, '');
}

/** Strategy names as people say them (Axivox, sipcall). */
export const STRATEGY_LABELS: Record<string, string> = {
  'ring-all': 'Ring all available agents',
  'longest-idle': 'Longest idle agent',
  'fewest-calls': 'Fewest calls (evenly)',
  'least-talk-time': 'Least talk time',
  random: 'Random agent',
  'weighted-random': 'Random, weighted by level',
  'round-robin': 'One after the other (remembered)',
  linear: 'In order, from the first each time',
};

export function strategyLabel(s: string): string {
  return STRATEGY_LABELS[s] ?? s;
}

/** Describes a destination ("queue:support" -> "Queue support"). */
export function destinationLabel(d: string): string {
  if (d === 'hangup') return 'Hang up';
  if (d === 'wait') return 'Keep waiting';
  if (d === 'voicemail') return 'Voicemail';
  const i = d.indexOf(':');
  if (i < 0) return d;
  const kind = d.slice(0, i);
  const target = d.slice(i + 1);
  switch (kind) {
    case 'queue':
      return `Queue ${target}`;
    case 'extension':
      return `Extension ${target}`;
    case 'number':
      return `Number ${target}`;
    case 'voicemail':
      return `Voicemail ${target}`;
    default:
      return d;
  }
}
