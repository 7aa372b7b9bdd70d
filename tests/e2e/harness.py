"""Helpers for callq's end-to-end tests (Python 3.11, standard library only).

    import harness
    class T(harness.E2ETestCase):
        def test_x(self):
            port = harness.free_port()
            agent = self.start("agent", harness.nsip_agent_cmd(registrar=f"127.0.0.1:{port}", ...))
            harness.wait_for_line(agent.out_path, r"^registered", proc=agent)

Timeouts: every timeout below is multiplied by the environment variable CALLQ_E2E_TIMEOUT_SCALE
(default 1; the defaults already assume a loaded 2-core VM). Work directories go under
$CALLQ_E2E_TMPDIR (default: the system temp dir) and are deleted after a passing test unless
CALLQ_E2E_KEEP=1; after a failing test they are kept and their path is printed.
"""

import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import atexit
import weakref

HERE = os.path.dirname(os.path.abspath(__file__))
PEERS_DIR = os.path.join(HERE, "peers")
SIPP_DIR = os.path.join(HERE, "sipp")
NSIP_AGENT = os.path.join(PEERS_DIR, "nsip_agent.pl")
NSIP_CALLER = os.path.join(PEERS_DIR, "nsip_caller.pl")

DEFAULT_TIMEOUT = 30.0
POLL_S = 0.05


def scale(seconds):
    """A timeout multiplied by CALLQ_E2E_TIMEOUT_SCALE."""
    try:
        factor = float(os.environ.get("CALLQ_E2E_TIMEOUT_SCALE", "1"))
    except ValueError:
        factor = 1.0
    return seconds * max(factor, 0.1)


# ---------------------------------------------------------------- ports
_handed_out = set()


def _can_bind(port, kind, host):
    types = {"udp": [socket.SOCK_DGRAM], "tcp": [socket.SOCK_STREAM],
             "both": [socket.SOCK_DGRAM, socket.SOCK_STREAM]}[kind]
    socks = []
    try:
        for t in types:
            s = socket.socket(socket.AF_INET, t)
            if t == socket.SOCK_STREAM:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            socks.append(s)
            s.bind((host, port))
        return True
    except OSError:
        return False
    finally:
        for s in socks:
            s.close()


def free_port(kind="both", host="127.0.0.1", span=1):
    """A port number free for UDP, TCP or both ("udp", "tcp", "both") on host.

    span > 1 asks for that many consecutive free ports starting at the returned one (baresip
    binds its TLS listener on SIP port + 1: use span=2). Ports are taken from the kernel's
    ephemeral range and never handed out twice by this process."""
    for _ in range(200):
        probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM if kind == "udp" else socket.SOCK_STREAM)
        probe.bind((host, 0))
        base = probe.getsockname()[1]
        probe.close()
        ports = range(base, base + span)
        if base + span > 65535 or any(p in _handed_out for p in ports):
            continue
        if all(_can_bind(p, kind, host) for p in ports):
            _handed_out.update(ports)
            return base
    raise RuntimeError("no free port found")


# ---------------------------------------------------------------- processes
_live = weakref.WeakSet()


@atexit.register
def _kill_leftovers():
    """Processes still running when the interpreter exits (a crashed script) are killed."""
    for p in list(_live):
        try:
            p.stop(grace=1.0)
        except Exception:
            pass


class Process:
    """A child process in its own process group; stdout to <workdir>/<name>.out, stderr to
    <workdir>/<name>.err (or merged into .out with merge_stderr=True)."""

    def __init__(self, name, cmd, workdir, env=None, cwd=None, merge_stderr=False, stdin=None):
        self.name = name
        self.cmd = [str(c) for c in cmd]
        self.workdir = workdir
        self.out_path = os.path.join(workdir, f"{name}.out")
        self.err_path = self.out_path if merge_stderr else os.path.join(workdir, f"{name}.err")
        full_env = dict(os.environ)
        full_env.update(env or {})
        full_env.setdefault("PYTHONUNBUFFERED", "1")
        with open(os.path.join(workdir, f"{name}.cmd"), "w") as f:
            f.write(" ".join(shlex.quote(c) for c in self.cmd) + "\n")
        self._out = open(self.out_path, "ab")
        self._err = self._out if merge_stderr else open(self.err_path, "ab")
        self.popen = subprocess.Popen(
            self.cmd, stdout=self._out, stderr=self._err,
            stdin=stdin if stdin is not None else subprocess.DEVNULL,
            cwd=cwd or workdir, env=full_env, start_new_session=True)
        self.pid = self.popen.pid
        _live.add(self)

    @property
    def returncode(self):
        return self.popen.returncode

    def poll(self):
        return self.popen.poll()

    def alive(self):
        return self.popen.poll() is None

    def wait(self, timeout=DEFAULT_TIMEOUT):
        """Waits for the exit; returns the exit code (TimeoutError if still running)."""
        try:
            return self.popen.wait(timeout=scale(timeout))
        except subprocess.TimeoutExpired:
            raise TimeoutError(f"{self.name} still running after {scale(timeout):.0f}s\n" + self.tail())

    def send_signal(self, sig):
        """Sends sig to the whole process group."""
        if self.popen.poll() is None:
            try:
                os.killpg(self.pid, sig)
            except ProcessLookupError:
                pass

    def stop(self, grace=5.0, signals=(signal.SIGTERM,)):
        """Sends each of `signals` to the process group, waiting `grace` s after each, then
        SIGKILL. Returns the exit code. Safe to call twice."""
        for sig in signals:
            if self.popen.poll() is not None:
                break
            self.send_signal(sig)
            try:
                self.popen.wait(timeout=scale(grace))
            except subprocess.TimeoutExpired:
                pass
        if self.popen.poll() is None:
            self.send_signal(signal.SIGKILL)
            self.popen.wait(timeout=30)
        else:
            # the leader is gone; make sure nothing of its group survives
            try:
                os.killpg(self.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        for f in {self._out, self._err}:
            if not f.closed:
                f.close()
        return self.popen.returncode

    def output(self):
        return read_text(self.out_path)

    def errors(self):
        return read_text(self.err_path)

    def lines(self):
        return self.output().splitlines()

    def tail(self, n=40):
        parts = [f"--- {self.name} ({' '.join(self.cmd[:3])} ...) stdout tail:"]
        parts += self.output().splitlines()[-n:]
        if self.err_path != self.out_path:
            parts.append(f"--- {self.name} stderr tail:")
            parts += self.errors().splitlines()[-n:]
        return "\n".join(parts)


def read_text(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", "replace")
    except FileNotFoundError:
        return ""


# ---------------------------------------------------------------- waiting for output
def _poll(read, pred, start, timeout, proc, what, count=1):
    """The one wait loop: re-reads the items (lines or events) until the count-th item from
    `start` on satisfies pred; returns (index, pred's result). A process `proc` that exited ends
    the wait, but only after a read that began once it was already gone found nothing."""
    deadline = time.monotonic() + scale(timeout)
    while True:
        exited = proc is not None and proc.poll() is not None
        seen = 0
        items = read()
        for i in range(start, len(items)):
            got = pred(items[i])
            if got:
                seen += 1
                if seen >= count:
                    return i, got
        if exited:
            raise AssertionError(f"{proc.name} exited with {proc.returncode} while waiting for "
                                 f"{what}\n" + proc.tail())
        if time.monotonic() >= deadline:
            raise TimeoutError(f"no {what} within {scale(timeout):.0f}s")
        time.sleep(POLL_S)


def wait_for_line(path, regex, timeout=DEFAULT_TIMEOUT, proc=None, start=0, count=1):
    """Waits until a line of the file matches regex (re.search); returns the re.Match.

    start: index of the first line to look at; count: wait for the count-th matching line.
    proc: a Process whose exit ends the wait early (AssertionError). TimeoutError shows the
    end of the file."""
    rx = re.compile(regex)
    try:
        return _poll(lambda: read_text(path).splitlines(), rx.search, start, timeout, proc,
                     f"line matching {regex!r} in {path}", count)[1]
    except TimeoutError as e:
        tail = "\n".join(read_text(path).splitlines()[-30:])
        raise TimeoutError(f"{e}; tail:\n{tail}") from None


# ---------------------------------------------------------------- JSON-lines events
def read_json_events(path):
    """All complete JSON objects of a JSON-lines file (a torn last line is skipped)."""
    out = []
    lines = read_text(path).split("\n")
    for i, line in enumerate(lines):
        line = line.strip()
        if not line:
            continue
        try:
            obj = json.loads(line)
        except ValueError:
            if i == len(lines) - 1:
                break       # still being written
            continue
        if isinstance(obj, dict):
            out.append(obj)
    return out


def event_matches(obj, fields):
    """True if obj has every field: equal value, or for a compiled regex a match of str(value),
    or for a callable a true result."""
    for k, want in fields.items():
        if k not in obj:
            return False
        have = obj[k]
        if isinstance(want, re.Pattern):
            if not want.search(str(have)):
                return False
        elif callable(want):
            if not want(have):
                return False
        elif have != want:
            return False
    return True


class EventTail:
    """Successive event waits, each after the previously returned one (ordering checks):
        ev = EventTail(path); ev.wait(event="ENTERQUEUE"); ev.wait(event="CONNECT")"""

    def __init__(self, path, proc=None):
        self.path, self.proc, self.pos = path, proc, 0

    def wait(self, timeout=DEFAULT_TIMEOUT, **fields):
        try:
            i, obj = _poll(lambda: read_json_events(self.path),
                           lambda o: o if event_matches(o, fields) else None,
                           self.pos, timeout, self.proc,
                           f"event matching {fields} after event #{self.pos} in {self.path}")
        except TimeoutError as e:
            last = read_json_events(self.path)[-15:]
            raise TimeoutError(f"{e}; last events:\n" + "\n".join(json.dumps(o) for o in last)) \
                from None
        self.pos = i + 1
        return obj

    def all(self, **fields):
        """All events so far that match fields (from the start of the file)."""
        return [o for o in read_json_events(self.path) if event_matches(o, fields)]


# ---------------------------------------------------------------- peer command lines
def _opts(**kw):
    """--key value for every kw that is not None/False (key underscores become dashes);
    True gives a bare flag."""
    out = []
    for k, v in kw.items():
        if v is None or v is False:
            continue
        flag = "--" + k.replace("_", "-")
        if v is True:
            out.append(flag)
        else:
            out += [flag, str(v)]
    return out


def nsip_agent_cmd(registrar, user, password, port, **opts):
    """Command line of peers/nsip_agent.pl. opts: expires, mode, answer_after, tone, rec, dtmf,
    dtmf_after, hangup_after, calls, unregister_at_exit=True, domain, codec, max_time,
    verbose=True, no_ring=True."""
    no_ring = opts.pop("no_ring", False)
    cmd = ["perl", NSIP_AGENT, "--registrar", registrar, "--user", user, "--pass", password,
           "--port", str(port)] + _opts(**opts)
    if no_ring:
        cmd.append("--no-ring")
    return cmd


def nsip_caller_cmd(to, port, **opts):
    """Command line of peers/nsip_caller.pl. opts: tone, rec, dtmf, dtmf_after, hangup_after,
    hold_after, resume_after,
    codec, cancel_after, answer_timeout, from_ (the From URI), auth_user, auth_pass, max_time,
    verbose=True."""
    if "from_" in opts:
        opts["from"] = opts.pop("from_")
    return ["perl", NSIP_CALLER, "--to", to, "--port", str(port)] + _opts(**opts)


def _sipp_common(scenario, remote, local_port, workdir, name, transport, timeout, media_port):
    path = scenario if os.path.isabs(scenario) else os.path.join(
        SIPP_DIR, scenario if scenario.endswith(".xml") else scenario + ".xml")
    name = name or os.path.splitext(os.path.basename(path))[0]
    if media_port is None:
        media_port = free_port("udp", span=4)
    t = {"udp": "u1", "tcp": "t1", "u1": "u1", "t1": "t1"}[transport]
    cmd = ["sipp", remote, "-sf", path, "-i", "127.0.0.1", "-p", str(local_port), "-t", t,
           "-mp", str(media_port), "-m", "1", "-nostdin",
           "-timeout", f"{int(scale(timeout))}s", "-timeout_error",
           "-trace_logs", "-log_file", os.path.join(workdir, f"{name}.log"),
           "-trace_msg", "-message_file", os.path.join(workdir, f"{name}.messages"),
           "-trace_err", "-error_file", os.path.join(workdir, f"{name}.errors"),
           "-trace_screen", "-screen_file", os.path.join(workdir, f"{name}.screen")]
    return path, cmd


def sipp_agent_cmd(scenario, registrar, user, password, local_port, workdir, name=None,
                   hangup_ms=None, answer_ms=None, calls=None, transport="udp", timeout=120,
                   media_port=None, extra=()):
    """Command line for an agent scenario (agent_answer, agent_busy, agent_decline,
    agent_noanswer) against registrar "host:port": the file is given as both -sf and -oocsf.

    The <log> lines go to <workdir>/<name>.log (name defaults to the scenario's base name);
    the SIP trace to <name>.messages, errors to <name>.errors, the final screen to
    <name>.screen. hangup_ms (agent_answer: BYE that long after the ACK; default: wait for the
    server's BYE), answer_ms (delay of the final answer; agent_answer/busy/decline) and calls
    (INVITEs to handle before unregistering and exiting; default 1) become -set options.
    SIPp gives up after `timeout` s (scaled) and then exits non-zero."""
    path, cmd = _sipp_common(scenario, registrar, local_port, workdir, name, transport, timeout,
                             media_port)
    cmd[4:4] = ["-oocsf", path]
    cmd += ["-s", user, "-au", user, "-ap", password]
    for var, val in (("hangup_ms", hangup_ms), ("answer_ms", answer_ms), ("calls", calls)):
        if val is not None:
            cmd += ["-set", var, str(int(val))]
    return cmd + list(extra)


def sipp_caller_cmd(scenario, target, service, local_port, workdir, name=None, duration_ms=None,
                    transport="udp", timeout=120, media_port=None, extra=()):
    """Command line for caller.xml: one INVITE to sip:<service>@<target>. duration_ms is -d: the
    talk time before the BYE. Files as for sipp_agent_cmd."""
    _, cmd = _sipp_common(scenario, target, local_port, workdir, name, transport, timeout,
                          media_port)
    cmd += ["-s", service]
    if duration_ms is not None:
        cmd += ["-d", str(int(duration_ms))]
    return cmd + list(extra)


# ---------------------------------------------------------------- unittest base class
def make_workdir(prefix="callq-e2e-"):
    base = os.environ.get("CALLQ_E2E_TMPDIR") or None
    if base:
        os.makedirs(base, exist_ok=True)
    return tempfile.mkdtemp(prefix=prefix, dir=base)


class E2ETestCase(unittest.TestCase):
    """TestCase with self.workdir (fresh temp dir), self.start(name, cmd, ...) for processes
    stopped at cleanup, and the tails of all their outputs printed when a test fails."""

    def setUp(self):
        super().setUp()
        self.workdir = make_workdir(f"callq-e2e-{self._testMethodName}-")
        self.processes = []
        self.addCleanup(self._cleanup_workdir)

    def start(self, name, cmd, **kw):
        p = Process(name, cmd, self.workdir, **kw)
        self.processes.append(p)
        self.addCleanup(p.stop)
        return p

    def path(self, *parts):
        return os.path.join(self.workdir, *parts)

    def _failed(self):
        outcome = getattr(self, "_outcome", None)
        if outcome is None:
            return False
        if not getattr(outcome, "success", True):
            return True
        result = getattr(outcome, "result", None)
        errs = list(getattr(result, "errors", [])) + list(getattr(result, "failures", []))
        return any(t is self for t, _ in errs)

    def _cleanup_workdir(self):
        # runs last (cleanups are LIFO): processes are stopped by then
        if self._failed() or os.environ.get("CALLQ_E2E_KEEP") == "1":
            sys.stderr.write(f"\n[{self.id()}] work directory kept: {self.workdir}\n")
            if self._failed():
                for p in self.processes:
                    sys.stderr.write(p.tail(25) + "\n")
            return
        import shutil
        shutil.rmtree(self.workdir, ignore_errors=True)
