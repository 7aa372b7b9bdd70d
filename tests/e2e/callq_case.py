"""A unittest base class that runs the real `callq serve` on loopback for one test.

    class T(callq_case.CallqCase):
        def test_x(self):
            self.serve(QUEUES)                       # writes callq.toml, starts callq serve
            agent = self.nsip_agent("201", "pw201")  # registered Net::SIP phone
            ...
            self.events.wait(event="CONNECT", agent="alice")

The binary is $CALLQ_BIN (CTest passes build/callq). SIP goes to a free port, RTP to a free
range; events are JSON lines in <workdir>/events.jsonl. At the end of each test the server is
stopped with SIGTERM and must report no call, call leg or RTP endpoint left open.
"""

import csv
import io
import os
import re
import socket
import subprocess

import harness

CALLQ_BIN = os.environ.get("CALLQ_BIN", os.path.join(harness.HERE, "..", "..", "build", "callq"))

# Four agents with passwords; tests add [[queue]] tables.
AGENTS = """
[[agent]]
id = "alice"
extension = "201"
password = "pw201"

[[agent]]
id = "bob"
extension = "202"
password = "pw202"

[[agent]]
id = "carol"
extension = "203"
password = "pw203"

[[agent]]
id = "dave"
extension = "204"
password = "pw204"
"""


class CallqCase(harness.E2ETestCase):
    def serve(self, queues, extra="", store=None, name="callq", head="", events_file=True):
        """Starts callq on `queues` (TOML) with its own database in the work dir (or `store`).
        A second server in one test (a restart) takes another `name`: its log and events file
        are <name>.out and <name>.events.jsonl. `head` goes before every table (top-level keys).
        Without `events_file` the server runs without --events (and self.events is None)."""
        self.sip_port = harness.free_port("both")
        rtp = harness.free_port("udp", span=200)
        self.store = store or self.path("callq.db")
        self.registrar = f"127.0.0.1:{self.sip_port}"
        config = self.path("callq.toml")
        with open(config, "w") as f:
            f.write(f'{head}\n[sip]\naddress = "127.0.0.1"\nport = {self.sip_port}\nrealm = "callq"\n'
                    f"rtp_ports = [{rtp}, {rtp + 199}]\n{extra}\n{AGENTS}\n{queues}\n")
        self.events_path = self.path("events.jsonl" if name == "callq" else f"{name}.events.jsonl")
        self.api_port = harness.free_port("tcp")  # tests run side by side: not the default 8080
        command = [CALLQ_BIN, "serve", config, "--store", self.store, "--api-port",
                   str(self.api_port)]
        if events_file:
            command += ["--events", self.events_path]
        self.server = self.start(name, command, merge_stderr=True)
        harness.wait_for_line(self.server.out_path, r"callq serving", proc=self.server)
        self.events = harness.EventTail(self.events_path, proc=self.server) if events_file else None
        self.stopped = False
        self.addCleanup(self.stop_server)

    def stop_server(self):
        """Stops the peers, then the server (SIGTERM), and checks that it left no call, call leg or
        RTP endpoint open. Afterwards the events file is complete (the server writes events from a
        thread of its own): assert the absence of events only after this. Runs once."""
        if self.stopped:
            return
        self.stopped = True
        for p in self.processes:
            if p is not self.server:
                p.stop()
        self.server.stop(grace=10)
        out = harness.read_text(self.server.out_path)
        m = re.search(r"stopping with (\d+) calls and (\d+) call legs open", out)
        self.assertIsNotNone(m, "callq did not log its open calls at stop:\n" + out[-2000:])
        self.assertEqual((m.group(1), m.group(2)), ("0", "0"), "calls or legs leaked")
        m = re.search(r"callq stopped \((\d+) RTP endpoints open\)", out)
        self.assertIsNotNone(m, "callq did not stop cleanly:\n" + out[-2000:])
        self.assertEqual(m.group(1), "0", "RTP endpoints leaked")

    def nsip_agent(self, user, password, name=None, wait=True, **opts):
        port = harness.free_port("both")
        name = name or f"agent{user}"
        opts.setdefault("rec", self.path(f"{name}.s16"))
        p = self.start(name, harness.nsip_agent_cmd(self.registrar, user, password, port, **opts))
        if wait:
            harness.wait_for_line(p.out_path, r"^registered", proc=p)
        return p

    def nsip_caller(self, to="600", name="caller", **opts):
        port = harness.free_port("both")
        opts.setdefault("rec", self.path(f"{name}.s16"))
        return self.start(name, harness.nsip_caller_cmd(f"sip:{to}@{self.registrar}", port, **opts))

    def code_call(self, code, name, user="202", password="pw202"):
        """Dials a login/logout code from the agent's account; returns the caller once callq
        has hung up after its prompt."""
        caller = self.nsip_caller(to=code, name=name, auth_user=user, auth_pass=password,
                                  from_=f"sip:{user}@127.0.0.1", tone=0)
        self.line(caller, r"^answered")
        self.line(caller, r"^bye-received", timeout=20)
        return caller

    def report(self, *args):
        """`callq report --store <this test's database> args...` parsed as CSV rows (dicts)."""
        out = subprocess.run([CALLQ_BIN, "report", "--store", self.store, *args], check=True,
                             capture_output=True, text=True).stdout
        return list(csv.DictReader(io.StringIO(out)))

    def line(self, proc, regex, timeout=30):
        return harness.wait_for_line(proc.out_path, regex, proc=proc, timeout=timeout)

    def server_line(self, regex, timeout=30):
        return harness.wait_for_line(self.server.out_path, regex, proc=self.server, timeout=timeout)

    def raw_request(self, method, uri, body="", transport="UDP", extra_headers=""):
        """Sends one hand-written SIP request and returns the first final response's text (or the
        first response at all when it is final). For what the peers will not send: bad SDP, OPTIONS
        over TCP, REGISTER for an unknown account."""
        kind = socket.SOCK_DGRAM if transport == "UDP" else socket.SOCK_STREAM
        s = socket.socket(socket.AF_INET, kind)
        s.settimeout(harness.scale(10))
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        msg = (f"{method} {uri} SIP/2.0\r\n"
               f"Via: SIP/2.0/{transport} 127.0.0.1:{port};branch=z9hG4bK-raw{port}\r\n"
               f"Max-Forwards: 70\r\nFrom: <sip:probe@127.0.0.1>;tag=raw{port}\r\n"
               f"To: <{uri}>\r\nCall-ID: raw-{port}@127.0.0.1\r\nCSeq: 1 {method}\r\n"
               f"Contact: <sip:probe@127.0.0.1:{port}>\r\n{extra_headers}"
               + (f"Content-Type: application/sdp\r\n" if body else "")
               + f"Content-Length: {len(body.encode())}\r\n\r\n{body}").encode()
        try:
            if kind == socket.SOCK_DGRAM:
                s.sendto(msg, ("127.0.0.1", self.sip_port))
            else:
                s.connect(("127.0.0.1", self.sip_port))
                s.sendall(msg)
            while True:
                reply = s.recv(65536).decode(errors="replace")
                code = int(reply.split(" ", 2)[1])
                if code >= 200:
                    return reply
        finally:
            s.close()
