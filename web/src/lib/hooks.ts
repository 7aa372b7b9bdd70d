// Preact hooks: the current route, live data (loaded, refreshed on stream events and on a timer),
// a one-second clock for ticking waits, an action's busy and error state.

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

/**
 * How often live pages also reload on a timer: 5 s, or `localStorage['callq.pollMs']` read at
 * start ("0": never). The browser tests turn polling off to prove the stream alone keeps pages live.
 */
const POLL_MS = ((): number => {
  const n = Number(localStorage.getItem('callq.pollMs') ?? 5000);
  return Number.isFinite(n) && n >= 0 ? n : 5000;
})();

/** Calls fn with the stream's events (HELLO aside), batched: at most once per `debounceMs`. */
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
  /** Loads again; resolves once data newer than the call is in (or the load failed). */
  reload: () => Promise<void>;
}

/**
 * Data from `load`, loaded on mount and when `deps` change, reloaded (debounced) on every stream
 * event and on the poll timer. Loads never overlap: one asked during a load runs after it.
 */
export function useLiveData<T>(load: () => Promise<T>, deps: unknown[]): LiveData<T> {
  const [state, setState] = useState<{ data: T | undefined; error: ApiError | null; loading: boolean; loadedAt: number }>(
    { data: undefined, error: null, loading: true, loadedAt: 0 },
  );
  const loadRef = useRef(load);
  loadRef.current = load;
  const busy = useRef(false);
  const again = useRef(false);
  const alive = useRef(true);
  const generation = useRef(0);
  const waiting = useRef<Array<() => void>>([]); // reload() callers, told when their load is done

  const start = useCallback(() => {
    busy.current = true;
    const gen = generation.current;
    const told = waiting.current;
    waiting.current = [];
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
      told.forEach((fn) => fn());
      if (again.current && alive.current) {
        again.current = false;
        start();
      }
    });
  }, []);

  const run = useCallback((): Promise<void> => {
    const done = new Promise<void>((resolve) => waiting.current.push(resolve));
    if (busy.current) again.current = true;
    else start();
    return done;
  }, []);

  useEffect(() => {
    alive.current = true;
    generation.current += 1;
    busy.current = false;
    again.current = false;
    setState((s) => ({ ...s, loading: true }));
    void run();
    const id = POLL_MS > 0 ? setInterval(run, POLL_MS) : null;
    return () => {
      alive.current = false;
      if (id !== null) clearInterval(id);
    };
  }, deps);

  useLiveEvents(() => void run());
  return { ...state, reload: run };
}

/** An action's state: `run` clears the error, sets busy, and keeps the error if it fails. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const run = async (fn: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      return true;
    } catch (e) {
      setError(e as ApiError);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}
