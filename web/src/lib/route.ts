// Hash routes (#/queues, #/queues/NAME/edit, #/reports?queue=sales...): static serving needs no
// rewrite rule. Pure parsing; the hook lives in hooks.ts.

export type Route =
  | { page: 'queues' }
  | { page: 'queue-new' }
  | { page: 'queue-edit'; name: string }
  | { page: 'agents' }
  | { page: 'reports'; query: URLSearchParams }
  | { page: 'widget'; query: URLSearchParams }
  | { page: 'unknown'; path: string };

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const q = raw.indexOf('?');
  const path = q < 0 ? raw : raw.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
  const parts = path.split('/').filter(Boolean).map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  if (parts.length === 0) return { page: 'unknown', path: '' };
  const [first, second, third] = parts;
  if (first === 'queues') {
    if (parts.length === 1) return { page: 'queues' };
    if (second === 'new' && parts.length === 2) return { page: 'queue-new' };
    if (third === 'edit' && parts.length === 3) return { page: 'queue-edit', name: second };
  }
  if (first === 'agents' && parts.length === 1) return { page: 'agents' };
  if (first === 'reports' && parts.length === 1) return { page: 'reports', query };
  if (first === 'widget' && parts.length === 1) return { page: 'widget', query };
  return { page: 'unknown', path };
}

export const href = {
  queues: () => '#/queues',
  newQueue: () => '#/queues/new',
  editQueue: (name: string) => `#/queues/${encodeURIComponent(name)}/edit`,
  agents: () => '#/agents',
  reports: (query = '') => (query ? `#/reports?${query}` : '#/reports'),
  widget: (agent?: string) => (agent ? `#/widget?agent=${encodeURIComponent(agent)}` : '#/widget'),
};

/** The pages a role may open; others send it to its home. */
export function allowed(role: 'manager' | 'agent', page: Route['page']): boolean {
  if (role === 'manager') return page !== 'unknown';
  return page === 'widget' || page === 'reports';
}

export function home(role: 'manager' | 'agent'): string {
  return role === 'manager' ? href.queues() : href.widget();
}
