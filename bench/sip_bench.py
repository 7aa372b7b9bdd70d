#!/usr/bin/env python3
"""SIP benchmark: queue calls through `callq serve` on loopback, played by SIPp.

    bench/sip_bench.py CALLQ OUT_DIR [--rate R] [--seconds S] [--agents N] [--talk-ms T] [--rtp]
                       [--search]

One SIPp process registers N agent phones (digest, bench/sip/agent_register.xml) and answers
every call callq offers them (bench/sip/agent_phone.xml: 180, 200, talk T ms, BYE). A second
SIPp process calls the queue at R calls per second for S seconds (bench/sip/caller.xml) and waits
for callq's BYE once the agent has hung up. With --rtp, every agent phone sends a tone as RTP
(50 packets/s) for the whole talk and every caller echoes what it hears (-rtp_echo), so audio
flows through callq's relay in both directions. (Echoing on both sides would not do: a packet
would bounce between the two echoes as fast as loopback allows, not at 50 packets/s.)

Latency is from the caller's INVITE to the agent phone's INVITE (the caller's send time travels
in its From user, which callq shows the agent as the caller id). CPU per call is callq's user +
system time during the calls divided by the calls made. --search doubles then bisects the rate
to find the highest with under 0.1 % failed calls.

The last line printed is
    calls_per_s=N failed=N p50_ms=X p99_ms=Y
(for --search: the figures of the highest rate that passed).
"""

import argparse
import math
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent / "sip"
SIP_PORT = 5090
CALLER_PORT = 5200
AGENT_PORT = 5300
QUEUE_EXTENSION = "600"
TICKS = os.sysconf("SC_CLK_TCK")
OUTPUTS = ("bench.toml", "agents.csv", "tone.ul", "callq.log", "events.jsonl", "agents.log", "agents.err",
           "agents_screen.log", "caller_stat.csv", "caller_errors.log", "callq.db", "callq.db-wal",
           "callq.db-shm")



def free_tcp_port():
    """A free port for the server's API (8080 may be taken)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

def write_config(path, agents):
    lines = [
        "[sip]",
        'address = "127.0.0.1"',
        f"port = {SIP_PORT}",
        'realm = "bench"',
        "rtp_ports = [30000, 49999]",
    ]
    for a in range(agents):
        lines += [
            "[[agent]]",
            f'id = "a{a}"',
            f'extension = "{10000 + a}"',
            f'password = "pw{a}"',
        ]
    lines += [
        "[[queue]]",
        'name = "bench"',
        f'extension = "{QUEUE_EXTENSION}"',
        'strategy = "longest-idle"',
        "ring_time = 15",
        "max_wait = 3600",
        "members = [",
    ]
    lines += [f'  {{ agent = "a{a}", static = true }},' for a in range(agents)]
    lines += ["]"]
    path.write_text("\n".join(lines) + "\n")


def write_tone(path, hz=1000, seconds=1):
    """A sine as raw PCMU (G.711 mu-law), for SIPp's rtp_stream."""
    def ulaw(sample):
        sign = 0x80 if sample < 0 else 0
        sample = min(abs(sample), 32635) + 0x84
        exponent = max(0, sample.bit_length() - 8)
        return ~(sign | exponent << 4 | (sample >> (exponent + 3)) & 0x0F) & 0xFF
    path.write_bytes(bytes(ulaw(int(8000 * math.sin(2 * math.pi * hz * i / 8000)))
                           for i in range(8000 * seconds)))


def peak_rss_mb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0


def udp_datagrams():
    """Datagrams received and receive-buffer drops on this machine so far (/proc/net/snmp)."""
    rows = [line.split() for line in Path("/proc/net/snmp").read_text().splitlines()
            if line.startswith("Udp:")]
    fields = dict(zip(rows[0][1:], (int(v) for v in rows[1][1:])))
    return fields["InDatagrams"], fields["RcvbufErrors"]


def cpu_seconds(pid):
    """User + system CPU time of a process so far (its threads included)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise SystemExit(f"sip_bench: timed out waiting for {what}")


def count_lines(path, prefix):
    try:
        with open(path, errors="replace") as f:
            return sum(1 for line in f if line.startswith(prefix))
    except FileNotFoundError:
        return 0


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    k = min(len(sorted_values) - 1, max(0, round(p / 100 * (len(sorted_values) - 1))))
    return sorted_values[k]


def stop(proc, sig=signal.SIGTERM, timeout=10):
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def run_once(args, rate, out):
    """One run at `rate` calls per second; returns a dict of results."""
    out.mkdir(parents=True, exist_ok=True)
    for name in OUTPUTS:  # only what an earlier run here wrote
        (out / name).unlink(missing_ok=True)
    config = out / "bench.toml"
    write_config(config, args.agents)
    (out / "agents.csv").write_text(
        "SEQUENTIAL\n"
        + "".join(
            f"{10000 + a};[authentication username={10000 + a} password=pw{a}]\n"
            for a in range(args.agents)
        )
    )
    # With --rtp the agents talk (this tone, 50 packets/s) and the callers echo what they hear.
    # SIPp reads the file when it loads the scenario, so it is always there.
    write_tone(out / "tone.ul")
    server_log = open(out / "callq.log", "w")
    server = subprocess.Popen(
        [args.callq, "serve", str(config), "--events", str(out / "events.jsonl"),
         "--store", str(out / "callq.db"), "--api-port", str(free_tcp_port())],
        stdout=server_log,
        stderr=subprocess.STDOUT,
    )
    agents = caller = None
    try:
        wait_for(lambda: "callq serving" in (out / "callq.log").read_text() or server.poll() is not None,
                 10, "callq to listen")
        if server.poll() is not None:
            raise SystemExit("sip_bench: callq exited:\n" + (out / "callq.log").read_text())
        agent_log = out / "agents.log"
        agents = subprocess.Popen(
            ["sipp", f"127.0.0.1:{SIP_PORT}", "-sf", str(HERE / "agent_register.xml"),
             "-oocsf", str(HERE / "agent_phone.xml"), "-inf", str(out / "agents.csv"),
             "-i", "127.0.0.1", "-p", str(AGENT_PORT), "-mp", "16000", "-m", str(args.agents),
             "-r", "500", "-l", "100000", "-set", "talk_ms", str(args.talk_ms),
             "-nostdin", "-trace_logs", "-log_file", str(agent_log),
             "-trace_screen", "-screen_file", str(out / "agents_screen.log"),
             "-set", "audio", "1" if args.rtp else "0"],
            stdout=subprocess.DEVNULL, stderr=open(out / "agents.err", "w"), cwd=out,
        )
        wait_for(lambda: count_lines(agent_log, "registered") >= args.agents or agents.poll() is not None,
                 60, f"{args.agents} agents to register")
        if agents.poll() is not None:
            raise SystemExit(f"sip_bench: the agents' SIPp exited ({agents.returncode}); see {out}")

        calls = int(rate * args.seconds)
        cpu_before = cpu_seconds(server.pid)
        agents_cpu_before = cpu_seconds(agents.pid)  # the REGISTERs are not part of the load
        udp_before = udp_datagrams()
        wall_before = time.monotonic()
        caller = subprocess.Popen(
            ["sipp", f"127.0.0.1:{SIP_PORT}", "-sf", str(HERE / "caller.xml"), "-s", QUEUE_EXTENSION,
             "-i", "127.0.0.1", "-p", str(CALLER_PORT), "-mp", "18000", "-r", str(rate),
             "-m", str(calls), "-l", "5000", "-nostdin",
             "-trace_stat", "-stf", str(out / "caller_stat.csv"), "-fd", "1",
             "-trace_err", "-error_file", str(out / "caller_errors.log"),
             "-timeout", str(args.seconds * 3 + 90)] + (["-rtp_echo"] if args.rtp else []),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=out,
        )
        # The callers' CPU time, read from wait4() as the process ends.
        _, status, usage = os.wait4(caller.pid, 0)
        caller.returncode = os.waitstatus_to_exitcode(status)
        caller_cpu = usage.ru_utime + usage.ru_stime
        wall = time.monotonic() - wall_before
        if agents.poll() is not None:
            raise SystemExit(f"sip_bench: the agents' SIPp exited ({agents.returncode}) during the "
                             f"run: no valid result (see {out})")
        cpu = cpu_seconds(server.pid) - cpu_before
        udp = [after - before for after, before in zip(udp_datagrams(), udp_before)]
        rss = peak_rss_mb(server.pid)
        sipp_cpu = cpu_seconds(agents.pid) - agents_cpu_before + caller_cpu
    finally:
        if caller is not None:
            stop(caller)
        if agents is not None:
            stop(agents)
        stop(server, signal.SIGINT)
        server_log.close()

    made, r = outcome(out, calls)
    return r | {
        "rate": rate,
        "cpu_us_per_call": cpu / max(1, made) * 1e6,
        "sipp_us_per_call": sipp_cpu / max(1, made) * 1e6,
        "rss_mb": rss,
        # Over the load itself (calls, then the last talk), not the tail of failed calls.
        "udp_per_s": udp[0] / (args.seconds + args.talk_ms / 1000),
        "udp_drops": udp[1],
        "wall": wall,
    }


def outcome(out, calls):
    """(calls SIPp made, figures) from a run's files: failures, rate reached, latencies."""
    header, last = None, None
    for line in (out / "caller_stat.csv").read_text().splitlines():
        if header is None:
            header = line.split(";")
        elif line.strip():
            last = line.split(";")
    stat = dict(zip(header, last))
    made = int(stat["SuccessfulCall(C)"]) + int(stat["FailedCall(C)"])
    # A call succeeds when the caller saw it through and callq connected it and the agent ended
    # it (COMPLETEAGENT): a BYE alone could also come from a call that never reached an agent.
    completed = sum(1 for line in (out / "events.jsonl").open() if '"COMPLETEAGENT"' in line)
    ok = min(int(stat["SuccessfulCall(C)"]), completed)
    # One latency per call (by its number): a call rung again (no answer, a lost INVITE) reaches
    # a second agent, and only its first INVITE counts.
    first = {}
    for line in (out / "agents.log").read_text(errors="replace").splitlines():
        if line.startswith("latency "):
            _, latency, sent, number = line.split()[:4]
            first.setdefault(int(number), (float(latency), float(sent)))
    latencies = sorted(latency for latency, _ in first.values())
    # The rate SIPp kept up: calls that reached an agent over the span of their INVITE times.
    stamps = sorted(sent for _, sent in first.values())
    span = (stamps[-1] - stamps[0]) / 1000 if len(stamps) > 1 else 0
    return made, {
        "calls": calls,
        "ok": ok,
        "failed": calls - ok,
        "calls_per_s": (len(stamps) - 1) / span if span > 0 else 0,
        "p50": percentile(latencies, 50),
        "p99": percentile(latencies, 99),
    }


def passes(r):
    return r["failed"] <= r["calls"] * 0.001 and r["ok"] > 0


def report(r, stream=sys.stdout):
    print(
        f"rate {r['rate']}/s: {r['ok']} ok, {r['failed']} failed of {r['calls']}; reached "
        f"{r['calls_per_s']:.0f}/s; latency p50 {r['p50']:.1f} ms p99 {r['p99']:.1f} ms; CPU per "
        f"call: callq {r['cpu_us_per_call']:.0f} us, SIPp {r['sipp_us_per_call']:.0f} us; callq "
        f"peak RSS {r['rss_mb']:.0f} MB; UDP {r['udp_per_s']:.0f} datagrams/s received, "
        f"{r['udp_drops']} dropped; {r['wall']:.1f} s",
        file=stream,
        flush=True,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("callq")
    parser.add_argument("out", type=Path)
    parser.add_argument("--rate", type=int, default=1000, help="calls per second (default 1000)")
    parser.add_argument("--seconds", type=int, default=10, help="length of the load (default 10)")
    parser.add_argument("--agents", type=int, default=1000, help="agent phones (default 1000)")
    parser.add_argument("--talk-ms", type=int, default=200, help="talk time (default 200 ms)")
    parser.add_argument("--rtp", action="store_true",
                        help="agents send a tone, callers echo it: RTP both ways")
    parser.add_argument("--search", action="store_true", help="find the highest passing rate")
    args = parser.parse_args()
    args.out = args.out.resolve()  # the SIPp processes run inside it

    if not args.search:
        r = run_once(args, args.rate, args.out)
        report(r)
    else:
        best = None
        low, high, rate = 0, None, args.rate
        while True:
            r = run_once(args, rate, args.out / f"rate-{rate}")
            report(r)
            if passes(r):
                best, low = r, rate
            else:
                high = rate
            if high is None:
                rate *= 2
            elif high - low <= max(50, low // 20):
                break
            else:
                rate = (low + high) // 2
        if best is None:
            raise SystemExit("sip_bench: no rate passed")
        r = best
        print(f"highest rate with under 0.1 % failed calls: {r['rate']}/s", flush=True)
    print(
        f"calls_per_s={r['calls_per_s']:.0f} failed={r['failed']} p50_ms={r['p50']:.1f} "
        f"p99_ms={r['p99']:.1f}"
    )
    return 0 if passes(r) else 1


if __name__ == "__main__":
    sys.exit(main())
