// The console: who is signed in, the live stream, the layout (header, navigation) and the pages.

import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, setUnauthorizedHandler, type Session } from './lib/api';
import { LiveContext, SessionContext, useRoute } from './lib/hooks';
import { LiveStream, streamUrl, type LiveStatus } from './lib/live';
import { allowed, home, href, parseHash, type Route } from './lib/route';
import { Icon, Logo } from './components/Icon';
import { Spinner, Toasts } from './components/ui';
import { LoginPage } from './pages/Login';
import { QueuesPage } from './pages/Queues';
import { QueueEditorPage } from './pages/QueueEditor';
import { AgentsPage } from './pages/Agents';
import { ReportsPage } from './pages/Reports';
import { WidgetPage } from './pages/Widget';

export function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [notice, setNotice] = useState('');

  useEffect(() => {
    api.me().then(setSession, () => setSession(null));
    setUnauthorizedHandler(() => {
      setSession((s) => {
        if (s) setNotice('Your session has ended. Sign in again.');
        return null;
      });
    });
    return () => setUnauthorizedHandler(null);
  }, []);

  if (session === undefined) {
    return <div class="boot"><Spinner label="Starting" /></div>;
  }
  if (session === null) {
    return (
      <LoginPage
        notice={notice}
        onSignedIn={(s) => {
          setNotice('');
          setSession(s);
          // A link into the console (e.g. a report) survives signing in; otherwise, home.
          const wanted = parseHash(location.hash);
          if (wanted.page === 'unknown' || !allowed(s.role, wanted.page)) location.hash = home(s.role);
        }}
      />
    );
  }
  return <Console session={session} onSignOut={() => setSession(null)} />;
}

function Console({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  const live = useMemo(() => new LiveStream({ url: streamUrl(location) }), [session.name]);
  const [status, setStatus] = useState<LiveStatus>(live.status);
  const route = useRoute();

  useEffect(() => {
    const offStatus = live.onStatus(setStatus);
    live.start();
    const onVisible = () => {
      if (document.visibilityState === 'visible') live.retryNow();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      offStatus();
      document.removeEventListener('visibilitychange', onVisible);
      live.stop();
    };
  }, [live]);

  useEffect(() => {
    if (!allowed(session.role, route.page)) {
      location.replace(home(session.role));
    }
  }, [route, session.role]);

  const signOut = async () => {
    try {
      await api.logout();
    } catch {
      // signed out either way
    }
    live.stop();
    location.hash = '';
    onSignOut();
  };

  const manager = session.role === 'manager';
  return (
    <SessionContext.Provider value={session}>
      <LiveContext.Provider value={live}>
        <div class={`shell ${manager ? 'shell-manager' : 'shell-agent'} ${route.page === 'widget' ? 'shell-widget' : ''}`}>
          <header class="topbar">
            <a class="brand" href={home(session.role)} aria-label="callq home">
              <Logo />
              <span class="brand-name">callq</span>
              <span class="brand-sub">{manager ? 'Console' : 'Agent'}</span>
            </a>
            <div class="topbar-right">
              <LiveIndicator status={status} />
              <div class="user" aria-label={`Signed in as ${session.name}`}>
                <span class="avatar" aria-hidden="true">{session.name.slice(0, 1).toUpperCase()}</span>
                <span class="user-text">
                  <span class="user-name">{session.name}</span>
                  <span class="user-role">{manager ? 'Manager' : 'Agent'}</span>
                </span>
              </div>
              <button type="button" class="btn btn-ghost btn-sm" onClick={signOut}>
                <Icon name="logout" /> <span class="hide-narrow">Sign out</span>
                <span class="sr-only narrow-only">Sign out</span>
              </button>
            </div>
          </header>
          <Nav route={route} manager={manager} />
          <main class="content" id="main">
            <Page route={route} />
          </main>
          <Toasts />
        </div>
      </LiveContext.Provider>
    </SessionContext.Provider>
  );
}

function LiveIndicator({ status }: { status: LiveStatus }) {
  const text = status === 'live' ? 'Live' : status === 'closed' ? 'Offline' : status === 'connecting' ? 'Connecting…' : 'Reconnecting…';
  return (
    <span class={`live live-${status}`} role="status" aria-label={`Live updates: ${text}`} title="Live updates from the server">
      <span class="live-dot" aria-hidden="true" />
      <span class="live-text">{text}</span>
    </span>
  );
}

function Nav({ route, manager }: { route: Route; manager: boolean }) {
  const items = manager
    ? [
        { href: href.queues(), label: 'Queues', icon: 'queue', active: route.page === 'queues' || route.page === 'queue-new' || route.page === 'queue-edit' },
        { href: href.agents(), label: 'Agents', icon: 'users', active: route.page === 'agents' },
        { href: href.reports(), label: 'Reports', icon: 'chart', active: route.page === 'reports' },
        { href: href.widget(), label: 'Agent widget', icon: 'headset', active: route.page === 'widget' },
      ]
    : [
        { href: href.widget(), label: 'My phone', icon: 'headset', active: route.page === 'widget' },
        { href: href.reports(), label: 'My report', icon: 'chart', active: route.page === 'reports' },
      ];
  return (
    <nav class="sidenav" aria-label="Main">
      {items.map((i) => (
        <a href={i.href} class={`nav-item ${i.active ? 'active' : ''}`} aria-current={i.active ? 'page' : undefined}>
          <Icon name={i.icon} size={18} />
          <span>{i.label}</span>
        </a>
      ))}
    </nav>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'queues':
      return <QueuesPage />;
    case 'queue-new':
      return <QueueEditorPage name={null} />;
    case 'queue-edit':
      return <QueueEditorPage name={route.name} key={route.name} />;
    case 'agents':
      return <AgentsPage />;
    case 'reports':
      return <ReportsPage query={route.query} />;
    case 'widget':
      return <WidgetPage query={route.query} />;
    default:
      return <div class="boot"><Spinner /></div>;
  }
}
