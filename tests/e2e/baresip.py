"""Run baresip 1.0.0 (Debian package baresip-core) as a test peer and drive it over ctrl_tcp.

    import baresip, harness
    agent = baresip.Baresip(workdir + "/agent1", sip_port=harness.free_port(span=2),
                            account=baresip.agent_account("agent1", "agent1pw", "127.0.0.1:5070"),
                            tone_hz=600)
    agent.start()
    agent.wait_registered()        # REGISTER_OK usually fires before ctrl_tcp is connected
    ...
    agent.stop()

Each instance lives in its own directory: `config`, `accounts`, `contacts`, the tone WAV it
sends (`tone-<Hz>.wav`), `baresip.out` (its stdout and stderr), `baresip.cmd`, `events.jsonl` (every ctrl_tcp
event and response, one JSON object per line, with "t" = seconds since start) and `rec/`,
where the sndfile module writes two WAVs per call: `dump-<peer>-<time>-enc.wav` (what it
sent) and `dump-<peer>-<time>-dec.wav` (what it heard), 16-bit mono at 8 kHz for G.711.

Audio: `audio_source aufile,<wav>` (the WAV loops), `audio_player aubridge,null-<port>` and
`audio_alert` the same. baresip-core 1.0.0 has no null audio driver; aubridge pairs a player
and a source with the same device name, and as no source uses that name, its thread never
starts: the player accepts audio and nothing reads it, so no sound card and no busy loop.
Set player="alsa,null" to use ALSA's null PCM instead (also works, costs a little CPU).

The ctrl_tcp protocol is netstring-framed JSON: commands {"command","params","token"},
responses {"response":true,"ok":..,"data":..,"token":..}, events {"event":true,"type":..,
"class":..,"accountaor":..,"direction":..,"peeruri":..,"param":..}. Event types seen with
1.0.0: REGISTERING, REGISTER_OK, REGISTER_FAIL, UNREGISTERING, CALL_INCOMING, CALL_OUTGOING,
CALL_RINGING, CALL_PROGRESS, CALL_ESTABLISHED, CALL_CLOSED (param = reason), CALL_DTMF_START,
CALL_DTMF_END, CALL_RTCP, ...
"""

import json
import os
import re
import signal
import socket
import threading
import time

import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
import tone  # noqa: E402

BARESIP = "baresip"
MODULE_PATH = "/usr/lib/baresip/modules"


def agent_account(user, password, registrar, transport="udp", answermode="auto", regint=600,
                  extra=""):
    """Account line of an agent that REGISTERs with digest at registrar "host:port".
    answermode "auto" answers at once; "manual" rings until accept() (or a CANCEL)."""
    params = ";transport=tcp" if transport == "tcp" else ""
    line = f"<sip:{user}@{registrar}{params}>;auth_pass={password};answermode={answermode};regint={regint}"
    return line + (";" + extra.lstrip(";") if extra else "")


def caller_account(user="caller", host="127.0.0.1", extra=""):
    """Account line of a caller that never REGISTERs (regint=0); dial full SIP URIs."""
    line = f"<sip:{user}@{host}>;regint=0"
    return line + (";" + extra.lstrip(";") if extra else "")


class CtrlError(RuntimeError):
    pass


class Baresip:
    """One baresip process with its own config directory.

    workdir      directory to create (config, logs, recordings)
    sip_port     SIP listen port on 127.0.0.1 (baresip also binds port+1 for TLS: take ports
                 with harness.free_port(span=2))
    account      account line (agent_account / caller_account)
    tone_hz      frequency of the sine it sends (a WAV is generated), or tone_wav=path
    ctrl_port    ctrl_tcp port (default: a free port)
    rtp_ports    (lo, hi) RTP port range (default: 100 ports from a free base)
    player       audio_player/audio_alert device (default aubridge,null-<sip_port>)
    extra_config lines appended to config
    """

    def __init__(self, workdir, sip_port, account, tone_hz=600, tone_wav=None, ctrl_port=None,
                 rtp_ports=None, player=None, extra_config=(), name=None, verbose=False):
        self.workdir = os.path.abspath(workdir)
        self.name = name or os.path.basename(self.workdir.rstrip("/"))
        self.sip_port = sip_port
        self.ctrl_port = ctrl_port or harness.free_port("tcp")
        self.account = account
        self.tone_hz = tone_hz
        self.tone_wav = tone_wav
        self.rtp_ports = rtp_ports
        self.player = player or f"aubridge,null-{sip_port}"
        self.extra_config = list(extra_config)
        self.verbose = verbose
        self.rec_dir = os.path.join(self.workdir, "rec")
        self.log_path = os.path.join(self.workdir, "baresip.out")
        self.events_path = os.path.join(self.workdir, "events.jsonl")
        self.proc = None
        self._sock = None
        self._reader = None
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)
        self._events = []          # every event object, in order
        self._responses = {}       # token -> response object
        self._token = 0
        self._t0 = None
        self._closed = False

    # ------------------------------------------------------------ configuration
    def write_config(self):
        os.makedirs(self.rec_dir, exist_ok=True)
        if self.tone_wav is None:
            self.tone_wav = os.path.join(self.workdir, f"tone-{self.tone_hz:g}.wav")
            tone.make_wav(self.tone_wav, self.tone_hz, 10.0)
        if self.rtp_ports is None:
            lo = harness.free_port("udp", span=1)
            lo -= lo % 2
            self.rtp_ports = (lo, min(lo + 100, 65534))
        lines = [
            ("poll_method", "epoll"),
            ("sip_listen", f"127.0.0.1:{self.sip_port}"),
            ("call_local_timeout", "120"),
            ("call_max_calls", "4"),
            ("audio_player", self.player),
            ("audio_alert", self.player),
            ("audio_source", f"aufile,{self.tone_wav}"),
            ("rtp_ports", f"{self.rtp_ports[0]}-{self.rtp_ports[1]}"),
            ("rtp_timeout", "0"),
            ("module_path", MODULE_PATH),
            ("module", "g711.so"),
            ("module", "aufile.so"),
            ("module", "sndfile.so"),
            ("module", "aubridge.so"),
        ]
        if self.player.startswith("alsa"):
            lines.append(("module", "alsa.so"))
        lines += [
            ("module", "ctrl_tcp.so"),
            ("module_tmp", "account.so"),
            ("module_app", "menu.so"),
            ("ctrl_tcp_listen", f"127.0.0.1:{self.ctrl_port}"),
            ("snd_path", self.rec_dir),
        ]
        with open(os.path.join(self.workdir, "config"), "w") as f:
            for k, v in lines:
                f.write(f"{k:<20}{v}\n")
            for extra in self.extra_config:
                f.write(extra.rstrip("\n") + "\n")
        with open(os.path.join(self.workdir, "accounts"), "w") as f:
            f.write(self.account + "\n")
        open(os.path.join(self.workdir, "contacts"), "w").close()

    # ------------------------------------------------------------ process
    def start(self, timeout=30.0):
        """Writes the config, starts baresip and connects to ctrl_tcp."""
        os.makedirs(self.workdir, exist_ok=True)
        self.write_config()
        cmd = [BARESIP, "-n", "127.0.0.1", "-f", self.workdir]
        if self.verbose:
            cmd.append("-v")
        self._t0 = time.monotonic()
        self.proc = harness.Process("baresip", cmd, self.workdir, merge_stderr=True)
        self._connect(timeout)
        return self

    def _connect(self, timeout):
        deadline = time.monotonic() + harness.scale(timeout)
        while True:
            try:
                self._sock = socket.create_connection(("127.0.0.1", self.ctrl_port), timeout=2)
                break
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"baresip {self.name} exited with {self.proc.returncode}\n"
                                       + self.proc.tail())
                if time.monotonic() > deadline:
                    raise TimeoutError(f"baresip {self.name}: ctrl_tcp port {self.ctrl_port} not open\n"
                                       + self.proc.tail())
                time.sleep(0.1)
        self._sock.settimeout(None)
        self._reader = threading.Thread(target=self._read_loop, name=f"baresip-{self.name}", daemon=True)
        self._reader.start()

    def _read_loop(self):
        buf = b""
        ev_file = open(self.events_path, "a")
        try:
            while True:
                try:
                    chunk = self._sock.recv(65536)
                except OSError:
                    break
                if not chunk:
                    break
                buf += chunk
                while True:
                    colon = buf.find(b":")
                    if colon < 0 or not buf[:colon].isdigit():
                        if colon >= 0:   # garbage: resynchronise on the next digit
                            buf = buf[colon + 1:]
                            continue
                        break
                    n = int(buf[:colon])
                    if len(buf) < colon + 1 + n + 1:
                        break
                    body = buf[colon + 1:colon + 1 + n]
                    buf = buf[colon + 1 + n + 1:]
                    try:
                        obj = json.loads(body.decode("utf-8", "replace"))
                    except ValueError:
                        continue
                    obj["t"] = round(time.monotonic() - self._t0, 3)
                    ev_file.write(json.dumps(obj) + "\n")
                    ev_file.flush()
                    with self._cond:
                        if obj.get("response"):
                            self._responses[str(obj.get("token"))] = obj
                        else:
                            self._events.append(obj)
                        self._cond.notify_all()
        finally:
            ev_file.close()
            with self._cond:
                self._closed = True
                self._cond.notify_all()

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, grace=3.0):
        """quit over ctrl_tcp (wait `grace` s), then SIGTERM (wait 1 s), SIGTERM again (wait
        `grace` s), then SIGKILL. quit and the first SIGTERM unregister first, which waits
        for a registrar that may be gone; the second SIGTERM makes baresip exit at once.
        Returns the exit code (0 after quit). Safe to call twice."""
        if self.proc is None:
            return None
        if self.proc.poll() is None and self._sock is not None and not self._closed:
            try:
                self.command("quit", timeout=3)
            except Exception:
                pass
            try:
                self.proc.popen.wait(timeout=harness.scale(grace))
            except Exception:
                pass
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.popen.wait(timeout=harness.scale(1.0))
            except Exception:
                pass
        rc = self.proc.stop(grace=grace, signals=(signal.SIGTERM,))
        if self._sock is not None:
            try:
                self._sock.close()
            except OSError:
                pass
        if self._reader is not None:
            self._reader.join(timeout=2)
        return rc

    # ------------------------------------------------------------ control
    def command(self, command, params="", timeout=10.0):
        """Sends a ctrl_tcp command; returns the response object ({"ok":..,"data":..}).
        Raises CtrlError when ok is false, TimeoutError without a response."""
        with self._cond:
            self._token += 1
            token = str(self._token)
        msg = json.dumps({"command": command, "params": params, "token": token}).encode()
        self._sock.sendall(str(len(msg)).encode() + b":" + msg + b",")
        deadline = time.monotonic() + harness.scale(timeout)
        with self._cond:
            while token not in self._responses:
                left = deadline - time.monotonic()
                if left <= 0 or self._closed:
                    raise TimeoutError(f"baresip {self.name}: no response to {command} {params}")
                self._cond.wait(left)
            resp = self._responses.pop(token)
        if not resp.get("ok", False):
            raise CtrlError(f"baresip {self.name}: {command} {params} -> {resp.get('data')}")
        return resp

    def dial(self, uri):
        return self.command("dial", uri)

    def hangup(self):
        return self.command("hangup")

    def accept(self):
        return self.command("accept")

    def send_dtmf(self, digits):
        """RFC 4733 digits (telephone-event), via the sndcode command."""
        return self.command("sndcode", digits)

    def quit(self):
        return self.command("quit")

    # ------------------------------------------------------------ events
    def events(self, **fields):
        """Events so far (ctrl_tcp "event" objects) matching fields, e.g. type="CALL_CLOSED"."""
        with self._cond:
            return [e for e in self._events if harness.event_matches(e, fields)]

    def wait_event(self, type=None, timeout=30.0, after=None, **fields):
        """Waits for an event of `type` (and fields; values as in harness.event_matches).
        after: an event object previously returned; only later events count. Returns it."""
        if type is not None:
            fields["type"] = type
        deadline = time.monotonic() + harness.scale(timeout)
        with self._cond:
            while True:
                start = 0
                if after is not None:
                    for i, e in enumerate(self._events):
                        if e is after:
                            start = i + 1
                            break
                for e in self._events[start:]:
                    if harness.event_matches(e, fields):
                        return e
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                if self._closed and (self.proc is None or self.proc.poll() is not None):
                    break
                self._cond.wait(min(left, 0.5))
        last = "\n".join(json.dumps(e) for e in self.events()[-10:])
        raise TimeoutError(f"baresip {self.name}: no event {fields} within {harness.scale(timeout):.0f}s; "
                           f"last events:\n{last}\n" + (self.proc.tail(20) if self.proc else ""))

    def registration_status(self):
        """{aor: "OK" | "ERR" | other status word} from the reginfo command."""
        data = self.command("reginfo").get("data", "")
        data = re.sub(r"\x1b\[[0-9;]*m", "", data)
        out = {}
        for line in data.splitlines():
            m = re.match(r"^[> ]\s*(sips?:\S+)\s+(\S+)", line)
            if m:
                out[m.group(1)] = m.group(2)
        return out

    def wait_registered(self, timeout=30.0):
        """Waits until the account is registered. baresip registers at start-up, usually before
        ctrl_tcp is connected, so the REGISTER_OK event may never be seen: this polls the
        reginfo command instead. Raises RuntimeError early on REGISTER_FAIL."""
        deadline = time.monotonic() + harness.scale(timeout)
        while True:
            status = self.registration_status()
            if status and all(v == "OK" for v in status.values()):
                return status
            fail = self.events(type="REGISTER_FAIL")
            if fail:
                raise RuntimeError(f"baresip {self.name}: registration failed: {fail[-1]}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"baresip {self.name}: not registered after {harness.scale(timeout):.0f}s: "
                                   f"{status}\n" + self.proc.tail(20))
            if self.proc.poll() is not None:
                raise RuntimeError(f"baresip {self.name} exited\n" + self.proc.tail(20))
            time.sleep(0.2)

    # ------------------------------------------------------------ recordings
    def recordings(self, kind="dec"):
        """Paths of the sndfile WAVs, oldest first: kind "dec" = heard, "enc" = sent."""
        if not os.path.isdir(self.rec_dir):
            return []
        files = [os.path.join(self.rec_dir, f) for f in os.listdir(self.rec_dir)
                 if f.startswith("dump-") and f.endswith(f"-{kind}.wav")]
        return sorted(files, key=os.path.getmtime)

    def log(self):
        return harness.read_text(self.log_path)

    def __enter__(self):
        return self.start() if self.proc is None else self

    def __exit__(self, *exc):
        self.stop()
