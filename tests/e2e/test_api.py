"""End to end: the HTTP API and live stream of `callq serve` (docs/api.md), over real sockets,
with real SIP phones (Net::SIP) where calls are involved. Every refusal is checked to change
nothing."""

import base64
import http.client
import json
import os
import socket
import struct
import subprocess
import time
import urllib.parse

import callq_case
import harness

QUEUES = """
[[queue]]
name = "sales"
extension = "600"
strategy = "ring-all"
members = [{ agent = "alice", static = true }, { agent = "bob" }]

[[queue]]
name = "support"
extension = "601"
members = [{ agent = "carol" }, { agent = "dave", static = true }]
"""

_HASH = None


def manager_hash():
    """The Argon2id hash of "boss-pw", made by `callq hash-password` (once)."""
    global _HASH
    if _HASH is None:
        _HASH = subprocess.run([callq_case.CALLQ_BIN, "hash-password"], input="boss-pw\n",
                               capture_output=True, text=True, check=True).stdout.strip()
    return _HASH


class WebSocket:
    """A minimal RFC 6455 client (text frames in, close out): enough to read the stream."""

    def __init__(self, port, path, origin=None):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        key = base64.b64encode(os.urandom(16)).decode()
        origin = origin or f"http://127.0.0.1:{port}"  # as a browser on the console's page
        self.sock.sendall((f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                           f"Origin: {origin}\r\n"
                           "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                           f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
                          .encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(1)
            if not chunk:
                break
            head += chunk
        self.status = int(head.split(b" ", 2)[1]) if head else 0
        self.buffer = b""

    def _read(self, n):
        while len(self.buffer) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("stream closed")
            self.buffer += chunk
        out, self.buffer = self.buffer[:n], self.buffer[n:]
        return out

    def message(self, timeout=10):
        """The next text message as JSON, or None after `timeout` seconds."""
        self.sock.settimeout(timeout)
        try:
            b0, b1 = self._read(2)
        except socket.timeout:
            return None
        length = b1 & 0x7F
        if length == 126:
            length = struct.unpack(">H", self._read(2))[0]
        elif length == 127:
            length = struct.unpack(">Q", self._read(8))[0]
        payload = self._read(length)
        if b0 & 0x0F == 8:
            raise EOFError("close frame")
        return json.loads(payload)

    def until(self, timeout=15, **fields):
        """Messages until one has all `fields`; returns it (fails on timeout)."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            m = self.message(timeout=max(0.1, deadline - time.time()))
            if m is not None and all(m.get(k) == v for k, v in fields.items()):
                return m
        raise AssertionError(f"no stream message with {fields} in {timeout} s")

    def close(self):
        self.sock.close()


class ApiCase(callq_case.CallqCase):
    def serve_api(self, events_file=True, web_root=None):
        extra = f"[[manager]]\nname = \"boss\"\npassword_hash = \"{manager_hash()}\"\n"
        if web_root:
            extra = f"[api]\nweb_root = \"{web_root}\"\n\n" + extra
        self.serve(QUEUES, extra=extra, head='withdraw_reasons = ["lunch"]',
                   events_file=events_file)

    def call(self, method, path, token=None, body=None, raw=None, headers=None):
        """(status, parsed JSON or text, response headers)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.api_port, timeout=15)
        h = dict(headers or {})
        if token:
            h["Authorization"] = f"Bearer {token}"
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        conn.request(method, path, body=data, headers=h)
        r = conn.getresponse()
        text = r.read().decode()
        conn.close()
        ctype = r.getheader("Content-Type", "")
        return r.status, (json.loads(text) if ctype.startswith("application/json") else text), r

    def login(self, name, password):
        status, body, _ = self.call("POST", "/api/v1/login", body={"name": name,
                                                                    "password": password})
        self.assertEqual(status, 200, body)
        return body["token"]

    def refused(self, status, field, method, path, token, body=None):
        """Asserts the request is refused with `status` naming `field` (None: no field)."""
        got, reply, _ = self.call(method, path, token, body)
        self.assertEqual(got, status, reply)
        self.assertEqual(reply["error"].get("field"), field, reply)
        self.assertTrue(reply["error"]["reason"])
        return reply


class Auth(ApiCase):
    def test_sign_in_tokens_cookies_and_refusals(self):
        self.serve_api()
        status, body, _ = self.call("POST", "/api/v1/login", body={"name": "boss",
                                                                    "password": "nope"})
        self.assertEqual((status, body["error"]["reason"]), (401, "wrong name or password"))
        status, body, _ = self.call("POST", "/api/v1/login", raw="name=boss")
        self.assertEqual(status, 400, body)
        status, body, _ = self.call("POST", "/api/v1/login", body={"name": "alice",
                                                                    "password": "pw202"})
        self.assertEqual(status, 401, body)

        self.refused(401, None, "GET", "/api/v1/queues", None)
        self.refused(401, None, "GET", "/api/v1/queues", "0" * 64)

        boss = self.login("boss", "boss-pw")
        self.assertEqual(self.call("GET", "/api/v1/me", boss)[1], {"name": "boss",
                                                                   "role": "manager"})
        status, body, r = self.call("POST", "/api/v1/login", body={"name": "alice",
                                                                    "password": "pw201"})
        self.assertEqual(status, 200, body)
        self.assertEqual((body["role"], body["agent"]), ("agent", "alice"))
        cookie = r.getheader("Set-Cookie")
        self.assertIn("HttpOnly", cookie)
        self.assertNotIn("Secure", cookie)
        # Behind a TLS proxy that says so, browsers keep the cookie to HTTPS.
        status, _, r = self.call("POST", "/api/v1/login",
                                 body={"name": "alice", "password": "pw201"},
                                 headers={"X-Forwarded-Proto": "https"})
        self.assertEqual(status, 200)
        self.assertIn("; Secure", r.getheader("Set-Cookie"))
        # The console sends the cookie instead of the header.
        status, me, _ = self.call("GET", "/api/v1/me",
                                  headers={"Cookie": "theme=dark; " + cookie.split(";")[0]})
        self.assertEqual((status, me["name"]), (200, "alice"))

        # A token in the URL is for the stream only (URLs end up in proxies' logs).
        self.refused(401, None, "GET", f"/api/v1/me?token={boss}", None)
        # Over 1 MB: refused, and the connection is closed (the rest of the body is unread).
        with socket.create_connection(("127.0.0.1", self.api_port), timeout=10) as big:
            big.sendall(b"POST /api/v1/login HTTP/1.1\r\nHost: x\r\nContent-Length: 2097152\r\n"
                        b"\r\n" + b"x" * 1000)
            answer = b""
            while chunk := big.recv(65536):
                answer += chunk
        self.assertTrue(answer.startswith(b"HTTP/1.1 413"), answer)
        self.assertIn(b"Connection: close", answer)  # and closed: recv() ended
        # A page of another site cannot open the stream with the cookie.
        foreign = WebSocket(self.api_port, f"/api/v1/stream?token={boss}",
                            origin="http://evil.example")
        self.assertEqual(foreign.status, 403)
        foreign.close()

        self.assertEqual(self.call("POST", "/api/v1/logout", boss)[0], 200)
        self.refused(401, None, "GET", "/api/v1/me", boss)
        self.refused(404, None, "GET", "/api/v1/nothing", body["token"])

    def test_password_guessing_is_slowed_down(self):
        self.serve_api()

        def sign_in(name, password):
            return self.call("POST", "/api/v1/login", body={"name": name, "password": password})

        for _ in range(5):
            self.assertEqual(sign_in("alice", "guess")[0], 401)
        # Locked for a second: even the right password is not looked at.
        status, body, r = sign_in("alice", "pw201")
        self.assertEqual(status, 429, body)
        self.assertRegex(body["error"]["reason"], r"too many failed sign-ins; try again in 1 s")
        self.assertEqual(r.getheader("Retry-After"), "1")
        # Other names are not locked.
        self.assertEqual(sign_in("boss", "boss-pw")[0], 200)
        time.sleep(1.1)
        self.assertEqual(sign_in("alice", "pw201")[0], 200)
        # Success forgets alice's count: five more mistakes are free again.
        for _ in range(4):
            self.assertEqual(sign_in("alice", "guess")[0], 401)
        self.assertEqual(sign_in("alice", "pw201")[0], 200)


class State(ApiCase):
    def test_managers_see_everything_and_agents_only_themselves(self):
        self.serve_api()
        boss = self.login("boss", "boss-pw")
        bob = self.login("bob", "pw202")
        queues = self.call("GET", "/api/v1/queues", boss)[1]["queues"]
        self.assertEqual([q["name"] for q in queues], ["sales", "support"])
        sales = queues[0]
        self.assertEqual((sales["extension"], sales["login_code"], sales["logout_code"]),
                         ("600", "*41600", "*42600"))
        self.assertEqual([(m["agent"], m["static"], m["logged_in"]) for m in sales["members"]],
                         [("alice", True, True), ("bob", False, False)])
        self.assertEqual([q["name"] for q in self.call("GET", "/api/v1/queues", bob)[1]["queues"]],
                         ["sales"])
        self.refused(404, "queue", "GET", "/api/v1/queues/support", bob)
        agents = self.call("GET", "/api/v1/agents", bob)[1]["agents"]
        self.assertEqual([a["id"] for a in agents], ["bob"])
        self.refused(403, "agent", "GET", "/api/v1/agents/alice", bob)
        self.assertEqual(len(self.call("GET", "/api/v1/agents", boss)[1]["agents"]), 4)
        self.assertEqual(self.call("GET", "/api/v1/reasons", bob)[1], {"reasons": ["lunch"]})

    def test_presence_and_logins_take_effect_and_wrong_ones_change_nothing(self):
        self.serve_api()
        boss = self.login("boss", "boss-pw")
        bob = self.login("bob", "pw202")
        status, agent, _ = self.call("PUT", "/api/v1/queues/sales/members/bob", bob)
        self.assertEqual(status, 200, agent)
        self.assertEqual(agent["queues"], [{"queue": "sales", "static": False, "level": 0,
                                            "logged_in": True}])
        self.events.wait(event="ADDMEMBER", agent="bob", queue="sales")
        sales = self.call("GET", "/api/v1/queues/sales", boss)[1]
        self.assertTrue(sales["members"][1]["logged_in"])

        # Refusals: each names the field, and none adds an event.
        self.refused(403, "agent", "PUT", "/api/v1/queues/support/members/carol", bob)
        self.refused(404, "queue", "PUT", "/api/v1/queues/nope/members/bob", boss)
        self.refused(404, "agent", "PUT", "/api/v1/queues/support/members/bob", boss)
        self.refused(409, "agent", "DELETE", "/api/v1/queues/sales/members/alice", boss)
        self.refused(400, "presence", "PUT", "/api/v1/agents/bob/presence", bob,
                     {"presence": "asleep"})
        self.refused(400, "reason", "PUT", "/api/v1/agents/bob/presence", bob,
                     {"presence": "withdrawn"})
        self.refused(400, "reason", "PUT", "/api/v1/agents/bob/presence", bob,
                     {"presence": "withdrawn", "reason": "nap"})
        self.refused(400, None, "PUT", "/api/v1/agents/bob/presence", bob, ["ready"])
        self.refused(403, "agent", "PUT", "/api/v1/agents/carol/presence", bob,
                     {"presence": "not available"})
        self.refused(404, "agent", "PUT", "/api/v1/agents/zed/presence", boss,
                     {"presence": "ready"})

        status, agent, _ = self.call("PUT", "/api/v1/agents/bob/presence", bob,
                                     {"presence": "not available"})
        self.assertEqual((status, agent["presence"]), (200, "not available"))
        self.events.wait(event="UNAVAILABLE", agent="bob")
        status, agent, _ = self.call("DELETE", "/api/v1/queues/sales/members/bob", boss)
        self.assertEqual((status, agent["queues"][0]["logged_in"]), (200, False))
        self.events.wait(event="REMOVEMEMBER", agent="bob")
        self.stop_server()
        self.assertEqual([e["event"] for e in self.events.all()],
                         ["ADDMEMBER", "UNAVAILABLE", "REMOVEMEMBER"])


class Reports(ApiCase):
    def test_events_pages_csv_and_statistics_as_filtered(self):
        self.serve_api()
        boss = self.login("boss", "boss-pw")
        carol = self.login("carol", "pw203")
        for _ in range(2):
            self.call("PUT", "/api/v1/queues/support/members/carol", carol)
            self.call("DELETE", "/api/v1/queues/support/members/carol", carol)
        self.call("PUT", "/api/v1/queues/sales/members/bob", boss)
        self.events.wait(event="ADDMEMBER", agent="bob")
        time.sleep(0.3)  # committed: the API reads the database

        page = self.call("GET", "/api/v1/events?agent=carol&limit=3", boss)[1]
        self.assertEqual([e["event"] for e in page["events"]],
                         ["ADDMEMBER", "REMOVEMEMBER", "ADDMEMBER"])
        rest = self.call("GET", f"/api/v1/events?agent=carol&after={page['next_after']}",
                         boss)[1]
        self.assertEqual([e["event"] for e in rest["events"]], ["REMOVEMEMBER"])
        self.assertIsNone(rest["next_after"])
        only = self.call("GET", "/api/v1/events?type=ADDMEMBER&period=today", boss)[1]
        self.assertEqual([e["agent"] for e in only["events"]], ["carol", "carol", "bob"])

        # The CSV is exactly `callq report`'s for the same filter.
        status, csv_text, r = self.call("GET", "/api/v1/events.csv?type=ADDMEMBER,REMOVEMEMBER",
                                        boss)
        self.assertEqual(status, 200, csv_text)
        self.assertTrue(r.getheader("Content-Type").startswith("text/csv"))
        cli = subprocess.run([callq_case.CALLQ_BIN, "report", "--store", self.store, "--type",
                              "ADDMEMBER,REMOVEMEMBER"], capture_output=True, text=True,
                             check=True).stdout
        self.assertEqual(csv_text.replace("\r\n", "\n"), cli.replace("\r\n", "\n"))
        self.assertEqual(len(csv_text.splitlines()), 6)
        # `limit`: the first N of them (the console exports the events it shows), 0 included.
        first2 = self.call("GET", "/api/v1/events.csv?type=ADDMEMBER,REMOVEMEMBER&limit=2", boss)[1]
        self.assertEqual(first2.splitlines(), csv_text.splitlines()[:3])
        none = self.call("GET", "/api/v1/events.csv?type=ADDMEMBER&limit=0", boss)[1]
        self.assertEqual(none.splitlines(), csv_text.splitlines()[:1])
        self.refused(400, "limit", "GET", "/api/v1/events.csv?limit=-1", boss)
        self.refused(400, "limit", "GET", "/api/v1/events?limit=0", boss)

        # An agent's reports are its own.
        mine = self.call("GET", "/api/v1/events", carol)[1]
        self.assertEqual({e["agent"] for e in mine["events"]}, {"carol"})
        self.refused(403, "agent", "GET", "/api/v1/events?agent=bob", carol)
        self.refused(403, None, "GET", "/api/v1/stats/queues", carol)

        stats = self.call("GET", "/api/v1/stats/agents?period=today&interval=day", boss)[1]
        self.assertEqual(stats["interval"], "day")
        self.assertIn("bob", {row["agent"] for row in stats["rows"]})
        bob_row = [row for row in stats["rows"] if row["agent"] == "bob"][0]
        self.assertGreater(bob_row["logged_in_s"], 0)
        queues = self.call("GET", "/api/v1/stats/queues?period=today", boss)[1]
        self.assertEqual(queues["rows"], [])  # no calls yet

        for path, field in [("/api/v1/events?period=someday", "period"),
                            ("/api/v1/events?from=2026-13-01", "from"),
                            ("/api/v1/events?from=2026-11-02&to=2026-11-01", "to"),
                            ("/api/v1/events?type=HANGUP", "type"),
                            ("/api/v1/events?limit=0", "limit"),
                            ("/api/v1/events?call=x", "call"),
                            ("/api/v1/events?colour=red", "colour"),
                            ("/api/v1/events?type=%FF%FE", "type"),  # not UTF-8: still JSON
                            ("/api/v1/events?%FF=1", "\ufffd"),
                            ("/api/v1/stats/queues?agent=bob", "agent"),
                            ("/api/v1/stats/agents?interval=week", "interval")]:
            with self.subTest(path=path):
                self.refused(400, field, "GET", path, boss)


class Static(ApiCase):
    def test_the_console_files_are_served_and_nothing_outside_them(self):
        web = self.path("web")
        os.makedirs(os.path.join(web, "assets"))
        with open(os.path.join(web, "index.html"), "w") as f:
            f.write("<!doctype html><title>callq</title>")
        with open(os.path.join(web, "assets", "app.js"), "w") as f:
            f.write("console.log('callq')")
        with open(self.path("secret.txt"), "w") as f:
            f.write("outside web_root")
        os.symlink(self.path("secret.txt"), os.path.join(web, "link.txt"))
        self.serve_api(web_root=web)
        status, body, r = self.call("GET", "/")
        self.assertEqual((status, body), (200, "<!doctype html><title>callq</title>"))
        self.assertTrue(r.getheader("Content-Type").startswith("text/html"))
        status, body, r = self.call("GET", "/assets/app.js")
        self.assertEqual((status, body), (200, "console.log('callq')"))
        self.assertTrue(r.getheader("Content-Type").startswith("text/javascript"))
        # The console's own pages (no dot) get index.html; a missing file is 404.
        self.assertEqual(self.call("GET", "/queues/sales")[1], "<!doctype html><title>callq</title>")
        self.assertEqual(self.call("GET", "/assets/missing.js")[0], 404)
        for path in ["//etc/passwd", "/%2Fetc/passwd", "/../secret.txt", "/%2e%2e/secret.txt",
                     "/assets/..%2F..%2Fsecret.txt", "/link.txt"]:
            with self.subTest(path=path):
                status, body, _ = self.call("GET", path)
                # Refused, or taken as a console page inside web_root (index.html).
                self.assertTrue(status in (400, 404) or body.startswith("<!doctype"), body)
                self.assertNotIn("root:", str(body))
                self.assertNotIn("outside web_root", str(body))


class Stream(ApiCase):
    def test_a_real_call_is_seen_waiting_then_connected_and_agents_see_only_theirs(self):
        self.serve_api(events_file=False)  # the stream does not depend on `--events`
        boss = self.login("boss", "boss-pw")
        carol = self.login("carol", "pw203")
        refused = WebSocket(self.api_port, "/api/v1/stream")
        self.assertEqual(refused.status, 401)
        refused.close()
        manager = WebSocket(self.api_port, f"/api/v1/stream?token={boss}")
        agent = WebSocket(self.api_port, f"/api/v1/stream?token={carol}")
        member = WebSocket(self.api_port, f"/api/v1/stream?token={self.login('bob', 'pw202')}")
        self.assertEqual((manager.status, agent.status, member.status), (101, 101, 101))
        self.assertEqual(manager.until(event="HELLO")["user"], "boss")
        self.assertEqual(agent.until(event="HELLO")["user"], "carol")

        alice = self.nsip_agent("201", "pw201", answer_after=2)
        self.nsip_caller(hangup_after=6)
        # RINGING (live only) is sent at once, ENTERQUEUE once stored: either may come first.
        seen = {}
        deadline = time.time() + 20
        while len(seen) < 2 and time.time() < deadline:
            m = manager.message(timeout=1)
            if m is not None and m["event"] in ("ENTERQUEUE", "RINGING"):
                seen[m["event"]] = m
        entered, ringing = seen["ENTERQUEUE"], seen["RINGING"]
        self.assertEqual((ringing["call"], ringing["agent"], ringing["queue"]),
                         (entered["call"], "alice", "sales"))
        self.assertEqual(ringing["reason"], entered["reason"])  # the caller id
        self.assertTrue(entered["reason"])
        # Bob is a member of sales: he sees its callers, though the events are not his own.
        self.assertEqual(member.until(event="ENTERQUEUE")["call"], entered["call"])
        waiting = self.call("GET", "/api/v1/queues/sales", boss)[1]["waiting"]
        self.assertEqual([(w["call"], w["position"]) for w in waiting], [(entered["call"], 1)])
        manager.until(event="CONNECT", agent="alice", call=entered["call"])
        sales = self.call("GET", "/api/v1/queues/sales", boss)[1]
        self.assertEqual(sales["waiting"], [])
        self.assertEqual(sales["members"][0]["activity"], "on call")
        manager.until(event="COMPLETECALLER", call=entered["call"])
        self.line(alice, r"^call-ended 1")

        # Carol is in support only: she saw nothing of the sales call, and sees her own changes.
        self.call("PUT", "/api/v1/agents/carol/presence", carol, {"presence": "not available"})
        self.assertEqual(agent.until(event="UNAVAILABLE")["agent"], "carol")
        self.call("PUT", "/api/v1/queues/sales/members/bob", boss)
        manager.until(event="ADDMEMBER", agent="bob")
        self.assertIsNone(agent.message(timeout=1), "carol saw another agent's event")
        for ws in (manager, agent, member):
            ws.close()


class Config(ApiCase):
    def config(self, token):
        status, body, _ = self.call("GET", "/api/v1/config", token)
        self.assertEqual(status, 200, body)
        return body

    def test_changes_take_effect_at_once_are_checked_and_persist(self):
        self.serve_api()
        boss = self.login("boss", "boss-pw")
        carol = self.login("carol", "pw203")
        self.refused(403, None, "GET", "/api/v1/config", carol)
        self.refused(403, None, "POST", "/api/v1/config/queues", carol, {"name": "x"})
        before = self.config(boss)
        self.assertEqual([q["name"] for q in before["queues"]], ["sales", "support"])
        self.assertEqual(before["queues"][0]["members"][1],
                         {"agent": "bob", "level": 0, "static": False})
        self.assertIn("linear", before["strategies"])
        self.assertEqual((before["music"], before["withdraw_reasons"]), (["ringback"], ["lunch"]))
        self.assertNotIn("pw201", json.dumps(before))  # passwords are never shown

        # Refusals name the field, with callq check's words, and change nothing.
        reply = self.refused(400, "ring_time", "PUT", "/api/v1/config/queues/sales", boss,
                             {"ring_time": 0})
        self.assertIn("must be greater than 0", reply["error"]["reason"])
        self.refused(400, "extension", "POST", "/api/v1/config/queues", boss,
                     {"name": "x", "extension": "601"})
        self.refused(400, "ring_tme", "PUT", "/api/v1/config/queues/sales", boss, {"ring_tme": 3})
        self.refused(400, "name", "PUT", "/api/v1/config/queues/sales", boss, {"name": "other"})
        self.refused(400, "members", "PUT", "/api/v1/config/queues/sales", boss,
                     {"members": [{"agent": "ghost"}]})
        self.refused(404, "queue", "PUT", "/api/v1/config/queues/nope", boss, {"retry": 1})
        self.refused(409, "id", "POST", "/api/v1/config/agents", boss,
                     {"id": "alice", "extension": "299"})
        self.refused(400, "reasons", "PUT", "/api/v1/config/reasons", boss, {"reasons": [1]})
        self.refused(400, None, "POST", "/api/v1/config/queues", boss, None)
        self.refused(400, None, "PUT", "/api/v1/config/queues/sales", boss,
                     {"members": [[[[["deep"]]]]]})
        self.assertEqual(self.config(boss), before)

        # A new agent and a new queue work at once: the phone registers, a caller is put through.
        status, erin, _ = self.call("POST", "/api/v1/config/agents", boss,
                                    {"id": "erin", "name": "Erin", "extension": "205",
                                     "password": "pw205"})
        self.assertEqual((status, erin["has_password"]), (201, True), erin)
        status, vip, _ = self.call("POST", "/api/v1/config/queues", boss,
                                   {"name": "vip", "extension": "602", "strategy": "linear",
                                    "members": [{"agent": "erin", "static": True}]})
        self.assertEqual((status, vip["login_code"], vip["ring_time"]), (201, "*41602", 15), vip)
        self.nsip_agent("205", "pw205", name="erin", answer_after=1, hangup_after=2)
        self.nsip_caller(to="602", name="vip-caller", hangup_after=10)
        connect = self.events.wait(30, event="CONNECT", queue="vip")
        self.assertEqual(connect["agent"], "erin")
        agent = self.call("GET", "/api/v1/agents/erin", boss)[1]
        self.assertEqual(len(agent["phones"]), 1, agent)
        self.assertTrue(agent["phones"][0]["contact"].startswith("sip:205@"), agent)
        self.events.wait(30, event="COMPLETEAGENT", queue="vip")

        # A queue that callers are in cannot go; once they are gone it can.
        self.assertEqual(self.call("PUT", "/api/v1/config/reasons", boss,
                                   {"reasons": ["lunch", "meeting"]})[0], 200)
        status, _, _ = self.call("PUT", "/api/v1/agents/erin/presence", boss,
                                 {"presence": "withdrawn", "reason": "meeting"})
        self.assertEqual(status, 200)
        self.nsip_caller(to="602", name="waiting-caller", hangup_after=4)
        entered = self.events.wait(30, event="ENTERQUEUE", queue="vip")
        reply = self.refused(409, None, "DELETE", "/api/v1/config/queues/vip", boss)
        self.assertIn("has callers", reply["error"]["reason"])
        self.events.wait(30, event="ABANDON", call=entered["call"])
        self.assertEqual(self.call("DELETE", "/api/v1/config/queues/vip", boss)[:2],
                         (200, {"deleted": "vip"}))
        # An agent goes with its memberships; a strategy change shows at once.
        self.assertEqual(self.call("DELETE", "/api/v1/config/agents/bob", boss)[0], 200)
        self.assertEqual(self.call("PUT", "/api/v1/config/queues/sales", boss,
                                   {"strategy": "linear"})[0], 200)
        sales = self.call("GET", "/api/v1/queues/sales", boss)[1]
        self.assertEqual((sales["strategy"], [m["agent"] for m in sales["members"]]),
                         ("linear", ["alice"]))
        after = self.config(boss)

        # Stored: a restart serves the same, whatever the file says.
        self.stop_server()
        self.serve_api_again()
        boss = self.login("boss", "boss-pw")
        self.assertEqual(self.config(boss), after)
        self.login("erin", "pw205")
        self.refused(401, None, "POST", "/api/v1/login", None, {"name": "bob", "password": "pw202"})

    def serve_api_again(self):
        extra = f"[[manager]]\nname = \"boss\"\npassword_hash = \"{manager_hash()}\"\n"
        self.serve(QUEUES, extra=extra, store=self.store, name="callq2")

    def test_accounts_follow_changes_and_a_removed_agents_ringing_call_ends(self):
        self.serve_api()
        boss = self.login("boss", "boss-pw")
        # A direct call rings dave's phone (which never answers); dave is removed meanwhile.
        dave = self.nsip_agent("204", "pw204", name="dave", mode="ignore")
        dave_token = self.login("dave", "pw204")
        caller = self.nsip_caller(to="204", name="direct-caller", hangup_after=60)
        self.line(dave, r"^ringing")
        self.assertEqual(self.call("DELETE", "/api/v1/config/agents/dave", boss)[0], 200)
        self.refused(401, None, "GET", "/api/v1/me", dave_token)  # signed out with the account
        self.line(dave, r"^cancelled")  # its phone stops ringing
        self.line(caller, r"^bye-received")  # the call to an agent who is gone ends
        # The server goes on: a removed account cannot register, a new password works at once.
        self.assertIn(" 404 ", self.raw_request("REGISTER", f"sip:204@127.0.0.1:{self.sip_port}")
                      .splitlines()[0] + " ")
        # Carol's phone, registered with her old password, rings for a support caller.
        before = self.nsip_agent("203", "pw203", name="carol-before", mode="ignore")
        self.assertEqual(len(self.call("GET", "/api/v1/agents/carol", boss)[1]["phones"]), 1)
        self.assertEqual(self.call("PUT", "/api/v1/queues/support/members/carol", boss)[0], 200)
        carol_token = self.login("carol", "pw203")
        waiting = self.nsip_caller(to="601", name="support-caller", hangup_after=60)
        self.line(before, r"^ringing")
        self.assertEqual(self.call("PUT", "/api/v1/config/agents/carol", boss,
                                   {"password": "new-pw"})[0], 200)
        # A phone registered with the old password stops taking calls at once: its ring ends
        # then, not at the ring time (15 s, "no answer").
        carol = self.call("GET", "/api/v1/agents/carol", boss)[1]
        self.assertEqual((carol["phones"], carol["registered"]), ([], False), carol)
        # So are the console sessions opened with it; the manager's is not touched.
        self.refused(401, None, "GET", "/api/v1/me", carol_token)
        self.assertEqual(self.call("GET", "/api/v1/me", boss)[0], 200)
        self.line(before, r"^cancelled")
        ended = self.events.wait(event="RINGNOANSWER", agent="carol")
        self.assertNotEqual(ended["reason"], "no answer", ended)
        self.assertLess(ended["ring_ms"], 10000, ended)
        # The caller waits on, and the phone with the new password gets the call.
        self.nsip_agent("203", "new-pw", name="carol-new")
        self.assertEqual(len(self.call("GET", "/api/v1/agents/carol", boss)[1]["phones"]), 1)
        self.events.wait(30, event="CONNECT", agent="carol")
        waiting.stop()
        old = self.nsip_agent("203", "pw203", name="carol-old", wait=False)
        self.line(old, r"^register-failed")
        self.login("carol", "new-pw")
        self.refused(401, None, "POST", "/api/v1/login", None,
                     {"name": "carol", "password": "pw203"})
