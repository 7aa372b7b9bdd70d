// The HTTP API of callq (docs/api.md): one fetch wrapper and the shapes it answers.

export type Role = 'manager' | 'agent';

export interface Session {
  name: string;
  role: Role;
  agent?: string;
}

export type Presence = 'ready' | 'withdrawn' | 'not available';
export type Activity = 'idle' | 'ringing' | 'on call' | 'wrap-up';

export interface Member {
  agent: string;
  name: string;
  static: boolean;
  level: number;
  logged_in: boolean;
  presence: Presence;
  reason: string;
  activity: Activity;
  registered: boolean;
}

export interface WaitingCaller {
  call: number;
  position: number;
  waited_s: number;
  ringing: boolean;
  caller: string;
}

export interface Queue {
  name: string;
  extension: string;
  login_code: string;
  logout_code: string;
  strategy: string;
  waiting: WaitingCaller[];
  members: Member[];
}

export interface Phone {
  contact: string;
  expires_in_s: number;
}

export interface AgentCall {
  id: number;
  queue: string;
  caller: string;
  state: 'ringing' | 'connected';
  since_ms: number;
}

export interface AgentQueue {
  queue: string;
  static: boolean;
  level: number;
  logged_in: boolean;
}

export interface Agent {
  id: string;
  name: string;
  extension: string;
  presence: Presence;
  reason: string;
  activity: Activity;
  on_other_call: boolean;
  registered: boolean;
  since_ms: number;
  call: AgentCall | null;
  phones: Phone[];
  queues: AgentQueue[];
}

export interface EventRow {
  id?: number;
  time_ms: number;
  time: string;
  event: string;
  call?: number;
  queue?: string;
  agent?: string;
  position?: number;
  original_position?: number;
  wait_ms?: number;
  talk_ms?: number;
  ring_ms?: number;
  key?: string;
  reason?: string;
  user?: string;
}

export interface QueueStatsRow {
  queue: string;
  start: string;
  start_ms: number;
  offered: number;
  answered: number;
  abandoned: number;
  abandoned_within_sl?: number;
  answered_within_sl?: number;
  exited?: number;
  refused?: number;
  handled?: number;
  service_level?: number | null;
  asa_s?: number | null;
  aht_s?: number | null;
  longest_wait_s?: number | null;
  total_handle_s?: number;
}

export interface AgentStatsRow {
  agent: string;
  start: string;
  start_ms: number;
  answered: number;
  handled?: number;
  no_answers?: number;
  talk_s?: number;
  aht_s?: number | null;
  logged_in_s?: number;
  withdrawn_s?: Record<string, number>;
  total_handle_s?: number;
}

export interface StatsAnswer<Row> {
  interval: string;
  rows: Row[];
}

export interface MemberSettings {
  agent: string;
  level: number;
  static: boolean;
}

/** The keys of a `[[queue]]` TOML table, as GET/PUT /api/v1/config/queues use them. */
export interface QueueSettings {
  name: string;
  extension: string;
  login_code: string | null;
  logout_code: string | null;
  strategy: string;
  ring_time: number;
  retry: number;
  wrap_up: number;
  max_wait: number;
  max_callers: number;
  service_level: number;
  weight: number;
  max_no_answer: number;
  wait_time_withdrawn: number | null;
  wait_time_empty: number | null;
  join_empty: 'allow' | 'refuse';
  timeout_action: string;
  overflow_action: string;
  exit_keys: Record<string, string>;
  stats_window: number;
  hold_audio: string;
  members: MemberSettings[];
}

export interface AgentSettings {
  id: string;
  name: string;
  extension: string;
  has_password: boolean;
}

export interface ConfigAnswer {
  queues: QueueSettings[];
  agents: AgentSettings[];
  withdraw_reasons: string[];
  music: string[];
  strategies: string[];
}

/** A refused request: the API's `{"error": {status, field, reason}}`. */
export class ApiError extends Error {
  readonly status: number;
  readonly field: string;
  readonly reason: string;

  constructor(status: number, reason: string, field = '') {
    super(reason);
    this.name = 'ApiError';
    this.status = status;
    this.field = field;
    this.reason = reason;
  }
}

export const API = '/api/v1';

let onUnauthorized: (() => void) | null = null;

/** Called when a request answers 401 (the session ended): the app shows the sign-in page. */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

/** The ApiError of a non-2xx answer, from its body when it is the API's error object. */
export function errorOf(status: number, text: string): ApiError {
  try {
    const body = JSON.parse(text) as { error?: { status?: number; field?: string; reason?: string } };
    if (body && body.error && typeof body.error.reason === 'string') {
      return new ApiError(body.error.status ?? status, body.error.reason, body.error.field ?? '');
    }
  } catch {
    // not JSON: fall through
  }
  const reason = text.trim() || `the server answered ${status}`;
  return new ApiError(status, reason.length > 300 ? reason.slice(0, 300) + '…' : reason);
}

export async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  opts: { quiet401?: boolean } = {},
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(API + path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { Accept: 'application/json' } : {
        Accept: 'application/json',
        'Content-Type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'cannot reach the callq server (is it running?)');
  }
  const text = await response.text();
  if (!response.ok) {
    const error = errorOf(response.status, text);
    if (response.status === 401 && !opts.quiet401 && onUnauthorized) {
      onUnauthorized();
    }
    throw error;
  }
  if (!text) {
    return undefined as T;
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    return text as unknown as T;
  }
}

const seg = encodeURIComponent;

export const api = {
  me: () => request<Session>('GET', '/me', undefined, { quiet401: true }),
  login: (name: string, password: string) =>
    request<Session & { token: string }>('POST', '/login', { name, password }, { quiet401: true }),
  logout: () => request<unknown>('POST', '/logout', undefined, { quiet401: true }),

  queues: async () => (await request<{ queues: Queue[] }>('GET', '/queues')).queues,
  queue: (name: string) => request<Queue>('GET', `/queues/${seg(name)}`),
  agents: async () => (await request<{ agents: Agent[] }>('GET', '/agents')).agents,
  agent: (id: string) => request<Agent>('GET', `/agents/${seg(id)}`),
  reasons: async () => (await request<{ reasons: string[] }>('GET', '/reasons')).reasons,
  setPresence: (id: string, presence: Presence, reason?: string) =>
    request<Agent>('PUT', `/agents/${seg(id)}/presence`, reason ? { presence, reason } : { presence }),
  connect: (queue: string, agent: string) => request<Agent>('PUT', `/queues/${seg(queue)}/members/${seg(agent)}`),
  disconnect: (queue: string, agent: string) => request<Agent>('DELETE', `/queues/${seg(queue)}/members/${seg(agent)}`),

  events: (query: string) =>
    request<{ events: EventRow[]; next_after: number | null }>('GET', `/events?${query}`),
  queueStats: (query: string) => request<StatsAnswer<QueueStatsRow>>('GET', `/stats/queues?${query}`),
  agentStats: (query: string) => request<StatsAnswer<AgentStatsRow>>('GET', `/stats/agents?${query}`),

  config: () => request<ConfigAnswer>('GET', '/config'),
  queueSettings: (name: string) => request<QueueSettings>('GET', `/config/queues/${seg(name)}`),
  createQueue: (s: QueueSettings) => request<QueueSettings>('POST', '/config/queues', s),
  updateQueue: (name: string, s: QueueSettings) =>
    request<QueueSettings>('PUT', `/config/queues/${seg(name)}`, s),
  deleteQueue: (name: string) => request<{ deleted: string }>('DELETE', `/config/queues/${seg(name)}`),
  createAgent: (a: { id: string; name: string; extension: string; password: string }) =>
    request<AgentSettings>('POST', '/config/agents', a),
  updateAgent: (id: string, a: { name: string; extension: string; password?: string }) =>
    request<AgentSettings>('PUT', `/config/agents/${seg(id)}`, a),
  deleteAgent: (id: string) => request<unknown>('DELETE', `/config/agents/${seg(id)}`),
  setReasons: (reasons: string[]) => request<{ reasons: string[] }>('PUT', '/config/reasons', { reasons }),
};
