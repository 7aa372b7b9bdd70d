// Preact hooks: the current route, live data (loaded, refreshed on stream events and on a timer),
// a one-second clock for ticking waits.

import { createContext } from 'preact';
import { useContext, useEffect, useRef, useState, useCallback } from 'preact/hooks';
import type { ApiError, EventRow, Session } from './api';
import type { LiveStream } from './live';
import { parseHash, type Route } from './route';

export const SessionContext = createContext<Session | null>(null);
export const LiveContext = createContext<LiveStream | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a session');
  return s;
}

export function useRoute(): Route {
  const [route, setRoute] = useState<Route>(() => parseHash(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseHash(location.hash));
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}

/** Date.now(), updated every `ms` milliseconds while mounted. */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}

/** Calls fn on each stream event that passes `filter`, at most once per `debounceMs`. */
export function useLiveEvents(fn: (events: EventRow[]) => void, debounceMs = 400): void {
  const live = useContext(LiveContext);
  const fnRef = useRef(fn);
  fnRef.current = fn;
  useEffect(() => {
    if (!live) return undefined;
    let pending: EventRow[] = [];
    let timer: ReturnType<typeof setTimeout> | null = null;
    const off = live.onEvent((e) => {
      if (e.event === 'HELLO') return;
      pending.push(e);
      if (timer === null) {
        timer = setTimeout(() => {
          timer = null;
          const batch = pending;
          pending = [];
          fnRef.current(batch);
        }, debounceMs);
      }
    });
    // Reconnected after a gap: what was missed is unknown, so refresh.
    const offStatus = live.onStatus((s) => {
      if (s === 'live') fnRef.current([]);
    });
    return () => {
      off();
      offStatus();
      if (timer !== null) clearTimeout(timer);
    };
  }, [live, debounceMs]);
}

export interface LiveData<T> {
  data: T | undefined;
  error: ApiError | null;
  loading: boolean;
  /** Date.now() when data was last loaded (to tick durations between loads). */
  loadedAt: number;
  reload: () => void;
}

/**
 * Data from `load`, loaded on mount and when `deps` change, reloaded (debounced) on every stream
 * event and every `periodMs`. Loads never overlap: one asked during a load runs after it.
 */
export function useLiveData<T>(load: () => Promise<T>, deps: unknown[], periodMs = 10000): LiveData<T> {
  const [state, setState] = useState<{ data: T | undefined; error: ApiError | null; loading: boolean; loadedAt: number }>(
    { data: undefined, error: null, loading: true, loadedAt: 0 },
  );
  const loadRef = useRef(load);
  loadRef.current = load;
  const busy = useRef(false);
  const again = useRef(false);
  const alive = useRef(true);
  const generation = useRef(0);

  const run = useCallback(() => {
    if (busy.current) {
      again.current = true;
      return;
    }
    busy.current = true;
    const gen = generation.current;
    loadRef.current().then(
      (data) => {
        if (alive.current && gen === generation.current) {
          setState({ data, error: null, loading: false, loadedAt: Date.now() });
        }
      },
      (error: ApiError) => {
        if (alive.current && gen === generation.current) {
          setState((s) => ({ ...s, error, loading: false }));
        }
      },
    ).finally(() => {
      busy.current = false;
      if (again.current && alive.current) {
        again.current = false;
        run();
      }
    });
  }, []);

  useEffect(() => {
    alive.current = true;
    generation.current += 1;
    busy.current = false;
    again.current = false;
    setState((s) => ({ ...s, loading: true }));
    run();
    const id = periodMs > 0 ? setInterval(run, periodMs) : null;
    return () => {
      alive.current = false;
      if (id !== null) clearInterval(id);
    };
  }, deps);

  useLiveEvents(() => run());
  return { ...state, reload: run };
}
