"""End to end: what the store keeps across a crash of `callq serve` (kill -9): dynamic logins
come back, calls that were open are closed with SERVERRESTART, call ids go on after the stored
ones; and `callq report` reads it all back."""

import signal
import subprocess
import time
import unittest

from callq_case import CALLQ_BIN, CallqCase

SALES = """
[[queue]]
name = "sales"
extension = "600"
ring_time = 10
members = [{ agent = "bob" }]
"""


class Restart(CallqCase):
    def kill_server(self):
        """SIGKILL: no chance to end calls or flush anything."""
        self.server.send_signal(signal.SIGKILL)
        self.server.popen.wait(timeout=10)
        self.stopped = True

    def one_talking_one_waiting(self):
        """Serves SALES with bob logged in (by code), one caller connected to him and one
        waiting. Returns the three peers."""
        self.serve(SALES)
        bob = self.nsip_agent("202", "pw202")
        self.code_call("*41600", "login")
        self.events.wait(event="ADDMEMBER", queue="sales", agent="bob")
        talking = self.nsip_caller(name="talking")
        self.events.wait(event="CONNECT", agent="bob")
        waiting = self.nsip_caller(name="waiting")
        self.events.wait(event="ENTERQUEUE", queue="sales")  # the one after the CONNECT
        return bob, talking, waiting

    def test_kill_9_keeps_logins_and_closes_the_calls_it_left_open(self):
        bob, talking, waiting = self.one_talking_one_waiting()
        time.sleep(0.5)  # ten times the store's window (README: 50 ms)
        self.kill_server()
        for p in (bob, talking, waiting):
            p.stop()
        before = self.report()
        first_calls = {int(r["call"]) for r in before if r["call"]}
        self.assertEqual([r["event"] for r in before if r["queue"] == "sales"],
                         ["ADDMEMBER", "ENTERQUEUE", "CONNECT", "ENTERQUEUE"])

        # The restarted server closes both visits and still has bob logged in: nobody dials the
        # login code again, and his re-registered phone gets the next caller.
        self.serve(SALES, store=self.store, name="callq2")
        self.server_line(r"closed 2 call\(s\) left open")
        closed = self.report("--type", "SERVERRESTART")
        self.assertEqual(sorted((r["agent"], r["reason"]) for r in closed),
                         [("", "callq restarted while the caller was waiting"),
                          ("bob", "callq restarted while the caller was connected to bob")])
        self.assertEqual({int(r["call"]) for r in closed}, first_calls)
        self.nsip_agent("202", "pw202", name="bob2")
        self.nsip_caller(name="after", hangup_after=2)
        connect = self.events.wait(event="CONNECT", agent="bob", timeout=30)
        self.assertGreater(connect["call"], max(first_calls))
        self.events.wait(event="COMPLETECALLER", agent="bob")
        self.stop_server()
        self.assertEqual(self.report("--type", "ADDMEMBER,REMOVEMEMBER"),
                         self.report("--type", "ADDMEMBER"))  # never logged out
        self.assertEqual(len(self.report("--type", "ADDMEMBER")), 1)

    def test_a_graceful_stop_ends_waiting_visits_without_counting_them_abandoned(self):
        bob, talking, waiting = self.one_talking_one_waiting()
        time.sleep(0.5)  # a wait the SERVERRESTART must carry
        # SIGTERM while both callers are still on the line.
        self.server.stop(grace=10)
        self.stopped = True
        for p in (bob, talking, waiting):
            p.stop()
        events = [(r["event"], r["agent"]) for r in self.report() if r["queue"] == "sales"]
        self.assertEqual(events[:4], [("ADDMEMBER", "bob"), ("ENTERQUEUE", ""),
                                      ("CONNECT", "bob"), ("ENTERQUEUE", "")])
        # The waiting caller did not give up: callq hung up on it. The connected call ended.
        self.assertEqual(events[4], ("SERVERRESTART", ""))
        self.assertIn(events[5], [("COMPLETEAGENT", "bob"), ("COMPLETECALLER", "bob")])
        self.assertEqual(len(events), 6)
        [closed] = self.report("--type", "SERVERRESTART")
        self.assertEqual(closed["reason"], "callq stopped while the caller was waiting")
        self.assertGreaterEqual(float(closed["wait_s"]), 0.5)

        # Nothing is left open for the next start to close.
        self.serve(SALES, store=self.store, name="callq2")
        self.server_line(r"restored the state of")
        self.stop_server()
        self.assertEqual(len(self.report("--type", "SERVERRESTART")), 1)

    def restart(self, queues):
        """kill -9, then the same configuration and database again."""
        time.sleep(0.5)  # ten times the store's window (README: 50 ms)
        self.kill_server()
        for p in list(self.processes):
            if p is not self.server:
                p.stop()
        self.serve(queues, store=self.store, name="restarted")

    def test_round_robin_goes_on_after_the_agent_it_offered_last(self):
        queue = """
[[queue]]
name = "sales"
extension = "600"
strategy = "round-robin"
members = [{ agent = "alice", static = true }, { agent = "bob", static = true },
           { agent = "carol", static = true }]
"""
        self.serve(queue)
        for user in ("201", "202", "203"):
            self.nsip_agent(user, f"pw{user}")
        for n, agent in enumerate(("alice", "bob"), 1):
            self.nsip_caller(name=f"before{n}", hangup_after=1)
            self.events.wait(event="CONNECT", agent=agent)
            self.events.wait(event="COMPLETECALLER", agent=agent)
        self.restart(queue)
        for user in ("201", "202", "203"):
            self.nsip_agent(user, f"pw{user}", name=f"again{user}")
        self.nsip_caller(name="after", hangup_after=1)
        # Forgotten, the memory would start over at alice.
        connect = self.events.wait(event="CONNECT")
        self.assertEqual(connect["agent"], "carol")

    def test_an_agent_withdrawn_for_not_answering_stays_withdrawn(self):
        queue = """
[[queue]]
name = "sales"
extension = "600"
ring_time = 2
retry = 1
max_wait = 5
max_no_answer = 1
members = [{ agent = "dave", static = true }]
"""
        self.serve(queue)
        self.nsip_agent("204", "pw204", mode="ignore")
        self.nsip_caller(name="unanswered", hangup_after=4)
        pause = self.events.wait(event="PAUSE", agent="dave")
        self.assertEqual(pause["reason"], "no answer")
        self.events.wait(event="ABANDON")
        self.restart(queue)
        self.nsip_agent("204", "pw204", name="dave2")  # would answer now
        self.nsip_caller(name="after")
        # Still withdrawn: the caller waits out max_wait without dave's phone ringing.
        self.events.wait(event="EXITWITHTIMEOUT", timeout=30)
        self.stop_server()
        self.assertEqual(self.events.all(event="RINGNOANSWER") + self.events.all(event="CONNECT"),
                         [])
        self.assertEqual(self.report("--type", "UNPAUSE"), [])

    def test_the_database_keeps_the_configuration_and_exports_it(self):
        self.serve(SALES)
        self.stop_server()
        exported = self.path("exported.toml")
        subprocess.run([CALLQ_BIN, "export-config", "--store", self.store, "-o", exported],
                       check=True)
        # The exported file describes what the served one does: the same summary (queues, ring
        # times, members static or dynamic, codes, agents).
        def summary(path):
            check = subprocess.run([CALLQ_BIN, "check", path], capture_output=True, text=True)
            self.assertEqual(check.returncode, 0, check.stderr)
            return check.stdout.split("\n", 1)[1]
        self.assertEqual(summary(exported), summary(self.path("callq.toml")))
        self.assertIn("queue 'sales'", summary(exported))
        # Once seeded, the database wins over an edited file: a queue added to the file is not
        # served, and the log says the two differ.
        self.serve(SALES + SALES.replace('"sales"', '"extra"').replace('"600"', '"610"'),
                   store=self.store, name="callq2")
        self.server_line(r"configuration: from the database, which differs from the file")
        self.line(self.nsip_caller(to="610", name="extra"), r"^failed 404")


if __name__ == "__main__":
    unittest.main()
