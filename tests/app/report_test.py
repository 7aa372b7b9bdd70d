#!/usr/bin/env python3
"""callq report against the simulator: a simulated day stored with `callq simulate --store`
gives, through `callq report --stats`, the simulator's own figures per queue, in total and per
hour; and the event listing's filters, pages and formats agree with each other.
Usage: report_test.py CALLQ WORKDIR   (run from the source tree: reads config/demo-day.toml)
"""
import csv
import io
import json
import os
import subprocess
import sys
import unittest

CALLQ = WORKDIR = None
# The simulator's intervals are hours of UTC; callq's hours are local: compare them in UTC (a
# zone with a half-hour offset would start local hours at :30).
os.environ["TZ"] = "UTC"


def run(*args, expect=0):
    p = subprocess.run([CALLQ, *args], capture_output=True, text=True)
    assert p.returncode == expect, f"callq {' '.join(args)}: exit {p.returncode}\n{p.stderr}"
    return p


def rows(*args):
    return list(csv.DictReader(io.StringIO(run("report", "--store", DB, *args).stdout)))


class SimulatedDay(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        global DB
        os.makedirs(WORKDIR, exist_ok=True)
        DB = os.path.join(WORKDIR, "day.db")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(DB + suffix):
                os.remove(DB + suffix)
        cls.sim = json.loads(run("simulate", "config/demo-day.toml", "--json", "--store", DB).stdout)

    def check(self, stats, figures):
        self.assertEqual(int(stats["offered"]), figures["offered"])
        self.assertEqual(int(stats["answered"]), figures["answered"])
        self.assertEqual(int(stats["abandoned"]), figures["abandoned"])
        self.assertEqual(int(stats["exited"]), figures["overflowed"])
        self.assertEqual(int(stats["refused"]), figures["refused"])
        self.assertAlmostEqual(float(stats["service_level"]), figures["service_level"], places=4)
        self.assertAlmostEqual(float(stats["asa_s"]), figures["asa_s"], places=3)
        self.assertAlmostEqual(float(stats["aht_s"]), figures["aht_s"], places=3)
        self.assertAlmostEqual(float(stats["longest_wait_s"]), figures["longest_wait_s"], places=3)

    def test_totals_per_queue_are_the_simulators(self):
        stats = {r["queue"]: r for r in rows("--stats", "queue", "--from", "2026-01-01")}
        self.assertEqual(set(stats), {q["name"] for q in self.sim["queues"]})
        for q in self.sim["queues"]:
            with self.subTest(queue=q["name"]):
                self.check(stats[q["name"]], q["total"])

    def test_hourly_figures_are_the_simulators_intervals(self):
        self.assertEqual(self.sim["interval_s"], 3600)
        hourly = rows("--stats", "queue", "--interval", "hour", "--from", "2026-01-05T08:00Z",
                      "--to", "2026-01-06T00:00Z")
        for q in self.sim["queues"]:
            mine = [r for r in hourly if r["queue"] == q["name"]]
            busy = [f for f in q["intervals"] if f["offered"] > 0]
            self.assertEqual(len(mine), len(busy), q["name"])
            for stats, figures in zip(mine, busy):
                with self.subTest(queue=q["name"], hour=stats["interval_start"]):
                    self.check(stats, figures)

    def test_agent_figures_follow_the_scenarios_shifts_and_breaks(self):
        agents = {r["agent"]: r for r in rows("--stats", "agent", "--from", "2026-01-05",
                                               "--to", "2026-01-06")}
        # demo-day.toml: bob (dynamic in sales) works 08:00-13:00, dave (dynamic in support)
        # 10:00-18:00; alice is a static member (not counted); alice and carol take lunch.
        self.assertEqual(float(agents["bob"]["logged_in_s"]), 5 * 3600)
        self.assertEqual(float(agents["dave"]["logged_in_s"]), 8 * 3600)
        self.assertEqual(float(agents["alice"]["logged_in_s"]), 0)
        self.assertEqual(float(agents["alice"]["withdrawn_s:lunch"]), 3600)
        self.assertEqual(float(agents["carol"]["withdrawn_s:lunch"]), 1800)
        self.assertEqual(float(agents["bob"]["withdrawn_s"]), 0)
        answered = sum(q["total"]["answered"] for q in self.sim["queues"])
        self.assertEqual(sum(int(r["answered"]) for r in agents.values()), answered)

    def test_event_filters_pages_and_formats_agree(self):
        everything = rows()
        self.assertEqual(len(everything), self.sim["events"])
        ids = [int(r["id"]) for r in everything]
        self.assertEqual(ids, sorted(ids))
        connects = rows("--type", "CONNECT", "--queue", "sales")
        self.assertEqual(len(connects), self.sim["queues"][0]["total"]["answered"])
        self.assertTrue(all(r["event"] == "CONNECT" and r["queue"] == "sales" for r in connects))
        # Pages of 100 with --after cover every event once, 100 at a time.
        self.assertGreater(len(everything), 300)
        paged, after, pages = [], 0, 0
        while True:
            p = run("report", "--store", DB, "--limit", "100", "--after", str(after))
            page = list(csv.DictReader(io.StringIO(p.stdout)))
            pages += 1
            paged += page
            if "more events: add --after" not in p.stderr:
                break
            self.assertEqual(len(page), 100)
            after = int(p.stderr.split("--after")[1])
            self.assertEqual(after, int(page[-1]["id"]))
        self.assertEqual(pages, (len(everything) + 99) // 100)
        self.assertEqual([r["id"] for r in paged], [r["id"] for r in everything])
        # One call, both formats: the same events in the same order.
        call = connects[0]["call"]
        mine = rows("--call", call)
        self.assertEqual(mine[0]["event"], "ENTERQUEUE")
        self.assertIn("CONNECT", [r["event"] for r in mine])
        self.assertTrue(all(r["call"] == call for r in mine))
        log = run("report", "--store", DB, "--call", call, "--queue-log").stdout.splitlines()
        self.assertEqual([line.split("|")[4] for line in log], [r["event"] for r in mine])
        self.assertTrue(all(line.split("|")[1] == call for line in log))
        # A mistyped database is not created empty: refused with where it looked.
        p = run("report", "--store", DB + ".typo", expect=1)
        self.assertIn("no database at " + DB + ".typo", p.stderr)
        self.assertFalse(os.path.exists(DB + ".typo"))
        # A period with nothing in it: the header alone.
        self.assertEqual(rows("--from", "2020-01-01", "--to", "2020-01-02"), [])

    def test_bad_arguments_are_refused_with_a_reason(self):
        for args, message in [
            (["--type", "CONNECTED"], "--type: unknown event 'CONNECTED'"),
            (["--period", "fortnight"], "fortnight"),
            (["--from", "21/11/2026"], "--from: expected a time like 2026-11-21"),
            (["--from", "2026-11-21", "--to", "2026-11-20"], "--to: must be after from"),
            (["--period", "today", "--from", "2026-11-21"], "give a period or from/to, not both"),
            (["--stats", "queues"], "--stats: expected queue or agent"),
            (["--stats", "queue", "--interval", "week"], "--interval: expected 15min, hour"),
            (["--stats", "queue", "--type", "CONNECT"], "--type does not apply to --stats queue"),
            (["--stats", "agent", "--queue", "sales"], "--queue does not apply to --stats agent"),
            (["--interval", "hour"], "--interval applies to --stats only"),
        ]:
            with self.subTest(args=args):
                p = run("report", "--store", DB, *args, expect=1)
                self.assertIn(message, p.stderr)
                self.assertEqual(p.stdout, "")


if __name__ == "__main__":
    CALLQ, WORKDIR = sys.argv[1], sys.argv[2]
    unittest.main(argv=sys.argv[:1], verbosity=2)
