"""End to end: the real `callq serve` against real SIP peers (Perl Net::SIP, SIPp, baresip) on
loopback. Each test starts its own server with its own configuration; see callq_case.py."""

import math
import struct
import time
import unittest
import wave

import harness
import tone
from callq_case import CallqCase

SALES = """
[[queue]]
name = "sales"
extension = "600"
strategy = "linear"
ring_time = 4
retry = 1
members = [{ agent = "bob", static = true }, { agent = "alice", static = true }]
"""


CONFIRMATION_HZ = 880  # src/media/audio.cc: the login/logout confirmation beeps
REFUSAL_HZ = 330       # ... and the low refusal tone


def seconds_between(segs, label, start, end):
    """Seconds of `label` within [start, end] of a recording's segments."""
    return sum(max(0.0, min(e, end) - max(s, start)) for s, e, l in segs if l == label)


def segments(path):
    return tone.dominant_segments(path, "s16",
                                  freqs=[425, 600, 700, 1000, CONFIRMATION_HZ, REFUSAL_HZ])


class Registration(CallqCase):
    def test_wrong_password_is_refused_and_the_right_one_registers(self):
        self.serve(SALES)
        bad = self.nsip_agent("201", "wrong", name="bad", wait=False)
        self.line(bad, r"^register-failed 403")
        good = self.nsip_agent("201", "pw201")
        self.line(good, r"^registered")
        self.server_line(r"agent 'alice': phone sip:201@127\.0\.0\.1:\d+ registered")

    def test_options_is_answered_over_udp_and_tcp(self):
        self.serve(SALES)
        for transport in ("UDP", "TCP"):
            reply = self.raw_request("OPTIONS", f"sip:{self.registrar}", transport=transport)
            self.assertTrue(reply.startswith("SIP/2.0 200"), f"{transport}: {reply[:200]}")
            self.assertIn("Allow: INVITE, ACK, BYE, CANCEL, OPTIONS, REGISTER", reply)

    def test_register_for_an_unknown_account_gets_404(self):
        self.serve(SALES)
        reply = self.raw_request("REGISTER", f"sip:999@{self.registrar}")
        self.assertTrue(reply.startswith("SIP/2.0 404"), reply[:200])

    def test_an_unregistered_phone_is_not_offered_calls(self):
        self.serve(SALES)
        bob = self.nsip_agent("202", "pw202", unregister_at_exit=True)
        alice = self.nsip_agent("201", "pw201")
        bob.stop()
        self.line(bob, r"^unregistered")
        self.server_line(r"agent 'bob': phone \S+ unregistered")
        self.nsip_caller(hangup_after=2)
        self.events.wait(event="CONNECT", agent="alice")
        self.events.wait(event="COMPLETECALLER", agent="alice")
        self.line(alice, r"^call-ended 1")
        self.stop_server()
        self.assertEqual(self.events.all(agent="bob"), [])

    def test_repeated_failures_from_one_address_are_slowed_down(self):
        self.serve(SALES)
        for i in range(6):
            p = self.nsip_agent("201", f"wrong{i}", name=f"bad{i}", wait=False)
            self.line(p, r"^register-failed 403")
            p.stop()
        # The address is now locked out: even the right password is refused unchecked for a while.
        locked = self.nsip_agent("201", "pw201", name="locked", wait=False)
        self.line(locked, r"^register-failed 403")
        self.server_line(r"refused unchecked: too many failed authentications")
        locked.stop()
        # ... and only for a while: after the lockout (2 s, at most 4 s after six failures) the
        # right password registers again.
        time.sleep(4.5)
        self.nsip_agent("201", "pw201", name="later")  # waits for "registered"

    def test_unregistered_agents_are_not_offered_calls(self):
        self.serve(SALES)
        alice = self.nsip_agent("201", "pw201", tone=600)  # bob (first in linear order) has no phone
        caller = self.nsip_caller(tone=1000, hangup_after=2)
        self.events.wait(event="CONNECT", agent="alice")
        self.line(caller, r"^bye-sent")
        self.events.wait(event="COMPLETECALLER", agent="alice")
        self.line(alice, r"^call-ended 1")
        self.stop_server()
        # bob was skipped, not rung and given up on: nothing about him, and the caller reached
        # alice within bob's ring time.
        self.assertEqual(self.events.all(agent="bob"), [])
        self.assertLess(self.events.all(event="CONNECT")[0]["wait_ms"], 4000)


class QueueCalls(CallqCase):
    def test_call_reaches_the_strategys_agent_with_audio_both_ways(self):
        self.serve(SALES)
        # linear: bob before alice; bob answers after 2 s so the caller hears ringback first.
        bob = self.nsip_agent("202", "pw202", tone=600, answer_after=2)
        alice = self.nsip_agent("201", "pw201", tone=700)
        caller = self.nsip_caller(tone=1000, hangup_after=6, dtmf="4#", dtmf_after=3)
        self.events.wait(event="ENTERQUEUE", queue="sales")
        self.events.wait(event="CONNECT", queue="sales", agent="bob")
        self.line(bob, r"^caller-id caller \(sales\)$")  # the caller's user and the queue
        self.line(caller, r"^bye-sent")
        self.events.wait(event="COMPLETECALLER", agent="bob")
        self.line(bob, r"^call-ended 1 bye-received")
        self.assertEqual(harness.read_text(alice.out_path).count("incoming"), 0)
        self.server_line(r"caller pressed 4")
        self.server_line(r"caller pressed #")
        self.line(bob, r"^dtmf 4")  # relayed to the agent too
        heard_by_caller = segments(self.path("caller.s16"))
        heard_by_bob = segments(self.path("agent202.s16"))
        self.assertGreaterEqual(tone.seconds_of(heard_by_caller, 425), 0.5,
                                "no ringback: " + tone.summary(heard_by_caller))
        self.assertGreaterEqual(tone.seconds_of(heard_by_caller, 600), 2.0,
                                "caller did not hear the agent: " + tone.summary(heard_by_caller))
        self.assertLess(tone.first_start(heard_by_caller, 425), tone.first_start(heard_by_caller, 600))
        self.assertGreaterEqual(tone.seconds_of(heard_by_bob, 1000), 2.0,
                                "agent did not hear the caller: " + tone.summary(heard_by_bob))

    def test_an_exit_key_takes_the_waiting_caller_to_its_destination(self):
        # bob (sales) has no phone registered, so the caller waits; 5 is not an exit key, 9 is.
        self.serve("""
[[queue]]
name = "sales"
extension = "600"
members = [{ agent = "bob", static = true }]
exit_keys = { "9" = "queue:support", "0" = "hangup" }

[[queue]]
name = "support"
extension = "601"
members = [{ agent = "alice", static = true }]
""")
        alice = self.nsip_agent("201", "pw201", tone=700)
        caller = self.nsip_caller(tone=1000, hangup_after=8, dtmf="59", dtmf_after=2)
        self.events.wait(event="ENTERQUEUE", queue="sales")
        exit_event = self.events.wait(event="EXITWITHKEY", queue="sales")
        self.assertEqual((exit_event["key"], exit_event["reason"]), ("9", "queue:support"))
        self.server_line(r"caller pressed 5")
        self.events.wait(event="ENTERQUEUE", queue="support")
        self.events.wait(event="CONNECT", queue="support", agent="alice")
        self.line(caller, r"^bye-sent")
        self.events.wait(event="COMPLETECALLER", agent="alice")
        heard_by_alice = segments(self.path("agent201.s16"))
        self.assertGreaterEqual(tone.seconds_of(heard_by_alice, 1000), 2.0,
                                "alice did not hear the caller: " + tone.summary(heard_by_alice))
        self.stop_server()
        self.assertEqual([e["event"] for e in self.events.all(queue="sales")],
                         ["ENTERQUEUE", "EXITWITHKEY"])

    def test_hold_and_resume_on_either_leg(self):
        # The caller holds 3-6 s after its answer, bob 10-13 s after his: the held side hears
        # nothing from callq while held, and both hear each other again after each resume.
        self.serve(SALES)
        bob = self.nsip_agent("202", "pw202", tone=600, hold_after=11, resume_after=14)
        caller = self.nsip_caller(tone=1000, hold_after=3, resume_after=6, hangup_after=18)
        self.events.wait(event="CONNECT", agent="bob")
        self.line(caller, r"^held recvonly$")
        self.server_line(r"re-INVITE on call \d+: hold")
        self.line(caller, r"^resumed sendrecv$")
        self.line(bob, r"^held recvonly$", timeout=40)
        self.line(bob, r"^resumed sendrecv$")
        self.line(caller, r"^bye-sent", timeout=40)
        self.events.wait(event="COMPLETECALLER", agent="bob")
        self.line(bob, r"^call-ended 1 bye-received")
        self.assert_heard("caller", segments(self.path("caller.s16")), 600, (
            ("before the hold", 0.5, 2.5, True), ("while held", 3.5, 5.5, False),
            ("after the resume", 7.0, 10.0, True), ("while bob holds", 12.0, 13.5, True),
            ("after bob resumes", 15.0, 17.0, True)))
        # bob's recording starts at his ACK, about when the caller's does.
        self.assert_heard("bob", segments(self.path("agent202.s16")), 1000, (
            ("while the caller holds", 3.5, 5.5, True), ("while held", 11.5, 13.5, False),
            ("after the resume", 15.0, 17.0, True)))

    def assert_heard(self, who, heard, hz, windows):
        """For each (when, start, end, expected): hz dominates most of [start, end], or never."""
        for when, start, end, expected in windows:
            seconds = seconds_between(heard, hz, start, end)
            if expected:
                self.assertGreater(seconds, (end - start) * 0.6,
                                   f"{who}, {when}: " + tone.summary(heard))
            else:
                self.assertEqual(seconds, 0, f"{who}, {when}: " + tone.summary(heard))

    def test_music_on_hold_from_a_file_until_the_agent_answers(self):
        # A 44.1 kHz stereo WAV of a 500 Hz tone: callq converts it to 8 kHz mono G.711.
        music = self.path("hold.wav")
        with wave.open(music, "wb") as w:
            w.setnchannels(2)
            w.setsampwidth(2)
            w.setframerate(44100)
            frames = (int(8000 * math.sin(2 * math.pi * 500 * i / 44100)) for i in range(44100 * 4))
            w.writeframes(b"".join(struct.pack("<hh", v, v) for v in frames))
        self.serve(SALES.replace('strategy = "linear"', 'strategy = "linear"\nhold_audio = "tune"'),
                   extra='[music]\ntune = "hold.wav"\n')
        caller = self.nsip_caller(tone=1000, hangup_after=10)
        self.events.wait(event="ENTERQUEUE", queue="sales")
        time.sleep(4)  # nobody registered: the caller waits with the music
        self.nsip_agent("202", "pw202", tone=600)
        self.events.wait(event="CONNECT", agent="bob")
        self.line(caller, r"^bye-sent", timeout=40)
        self.events.wait(event="COMPLETECALLER", agent="bob")
        heard = tone.dominant_segments(self.path("caller.s16"), "s16", freqs=[425, 500, 600])
        self.assertGreaterEqual(seconds_between(heard, 500, 0, 4), 3.0, tone.summary(heard))
        self.assertEqual(tone.seconds_of(heard, 425), 0, "ringback instead of music: " +
                         tone.summary(heard))
        self.assertGreaterEqual(tone.seconds_of(heard, 600), 2.0, "no agent: " + tone.summary(heard))
        self.assertLess(tone.first_start(heard, 500), tone.first_start(heard, 600))

    def test_every_phone_of_the_agent_rings_and_the_first_answer_wins(self):
        self.serve(SALES)
        desk = self.nsip_agent("202", "pw202", name="desk", mode="ignore")
        mobile = self.nsip_agent("202", "pw202", name="mobile", answer_after=1, tone=600)
        caller = self.nsip_caller(hangup_after=4)
        self.line(desk, r"^ringing")
        self.line(mobile, r"^established")
        self.line(desk, r"^cancelled")  # the other phone stops ringing
        self.events.wait(event="CONNECT", agent="bob")
        self.line(caller, r"^bye-sent")
        self.events.wait(event="COMPLETECALLER", agent="bob")
        self.assertGreaterEqual(tone.seconds_of(segments(self.path("caller.s16")), 600), 1.5)

    def test_an_offer_without_g711_gets_488_and_changes_nothing(self):
        self.serve(SALES)
        self.nsip_agent("202", "pw202")
        sdp = ("v=0\r\no=x 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
               "m=audio 40000 RTP/AVP 9\r\na=rtpmap:9 G722/8000\r\n")
        reply = self.raw_request("INVITE", f"sip:600@{self.registrar}", body=sdp)
        self.assertTrue(reply.startswith("SIP/2.0 488"), reply[:200])
        reply = self.raw_request("INVITE", f"sip:600@{self.registrar}", body="not sdp at all")
        self.assertTrue(reply.startswith("SIP/2.0 488"), reply[:200])
        self.stop_server()
        self.assertEqual(harness.read_json_events(self.events_path), [])

    def test_pcma_caller_and_pcmu_agent_are_transcoded(self):
        self.serve(SALES)
        self.nsip_agent("202", "pw202", tone=600, codec="pcmu")
        caller = self.nsip_caller(tone=1000, hangup_after=4, codec="pcma")
        self.events.wait(event="CONNECT", agent="bob")
        self.line(caller, r"^bye-sent")
        self.events.wait(event="COMPLETECALLER")
        self.assertGreaterEqual(tone.seconds_of(segments(self.path("caller.s16")), 600), 2.0)
        self.assertGreaterEqual(tone.seconds_of(segments(self.path("agent202.s16")), 1000), 2.0)

    def test_agent_hangs_up(self):
        self.serve(SALES)
        bob = self.nsip_agent("202", "pw202", hangup_after=2)
        caller = self.nsip_caller()
        self.events.wait(event="CONNECT", agent="bob")
        self.line(bob, r"^bye-sent")
        self.events.wait(event="COMPLETEAGENT", agent="bob")
        self.line(caller, r"^bye-received")


class Faults(CallqCase):
    def wait_call_then_connect_next(self, agent_user, agent_name):
        """After a fault, the agent is not stuck: a second caller reaches them."""
        self.nsip_caller(name="next", hangup_after=2)
        self.events.wait(event="CONNECT", agent=agent_name, timeout=40)
        self.events.wait(event="COMPLETECALLER", agent=agent_name)

    def test_caller_hangs_up_while_the_agent_rings(self):
        # Bob has two phones; both ring and both are cancelled.
        self.serve(SALES)
        desk = self.nsip_agent("202", "pw202", name="desk", mode="ignore")
        mobile = self.nsip_agent("202", "pw202", name="mobile", mode="ignore")
        caller = self.nsip_caller(hangup_after=2)
        self.line(desk, r"^ringing")
        self.line(mobile, r"^ringing")
        self.line(caller, r"^bye-sent")
        self.events.wait(event="ABANDON", queue="sales")
        self.line(desk, r"^cancelled")
        self.line(mobile, r"^cancelled")
        self.stop_server()
        self.assertEqual([(e["agent"], e["reason"]) for e in self.events.all(event="RINGCANCELED")],
                         [("bob", "caller hung up")])

    def test_stopping_the_server_ends_open_calls_in_the_engine_too(self):
        self.serve(SALES)  # no phone registered: the caller waits
        caller = self.nsip_caller(name="waiting")
        self.events.wait(event="ENTERQUEUE", queue="sales")
        self.stopped = True  # stopped here on purpose with a call open: not stop_server()
        self.server.stop(grace=10)
        self.line(caller, r"^bye-received")
        out = harness.read_text(self.server.out_path)
        self.assertRegex(out, r"stopping with 1 calls and 1 call legs open")
        self.assertRegex(out, r"callq stopped \(0 RTP endpoints open\)")
        # Every visit still has its ending: callq's, not an abandonment by the caller.
        self.assertEqual([e["event"] for e in self.events.all()], ["ENTERQUEUE", "SERVERRESTART"])

    def test_agent_rejects_busy_and_decline(self):
        self.serve(SALES)
        bob = self.nsip_agent("202", "pw202", mode="reject486")
        carol_queue_caller = self.nsip_caller(hangup_after=3)
        self.events.wait(event="RINGNOANSWER", agent="bob", reason="busy")
        self.line(bob, r"^rejected 486")
        self.line(carol_queue_caller, r"^bye-sent")
        self.events.wait(event="ABANDON")
        bob.stop()
        bob2 = self.nsip_agent("202", "pw202", name="bob603", mode="reject603")
        self.nsip_caller(name="caller2", hangup_after=3)
        self.events.wait(event="RINGNOANSWER", agent="bob", reason="declined")
        self.line(bob2, r"^rejected 603")
        self.events.wait(event="ABANDON")
        bob2.stop()
        self.nsip_agent("202", "pw202", name="bob-ok")
        self.wait_call_then_connect_next("202", "bob")

    def test_agent_does_not_answer_within_the_ring_time(self):
        self.serve(SALES)
        bob = self.nsip_agent("202", "pw202", mode="ignore")
        alice = self.nsip_agent("201", "pw201")
        caller = self.nsip_caller(hangup_after=9)
        # bob rings 4 s (ring_time), then the call moves on to alice.
        self.events.wait(event="RINGNOANSWER", agent="bob", reason="no answer", timeout=20)
        self.line(bob, r"^cancelled")
        self.events.wait(event="CONNECT", agent="alice", timeout=20)
        self.line(caller, r"^bye-sent", timeout=30)
        self.events.wait(event="COMPLETECALLER", agent="alice")
        self.line(alice, r"^call-ended 1")

    def test_unreachable_phone(self):
        self.serve(SALES)
        bob = self.nsip_agent("202", "pw202")
        bob.stop(signals=())  # SIGKILL: the binding stays, nothing listens on its port any more
        alice = self.nsip_agent("201", "pw201")
        caller = self.nsip_caller(hangup_after=2)
        self.events.wait(event="RINGNOANSWER", agent="bob", reason="unreachable", timeout=40)
        self.events.wait(event="CONNECT", agent="alice", timeout=40)
        self.line(caller, r"^bye-sent", timeout=40)
        self.line(alice, r"^call-ended 1")
        # The phone that did not respond is forgotten: the next caller goes straight to alice.
        self.server_line(r"agent 'bob': phone sip:202@\S+ does not respond \((408|503)\): no calls")
        self.nsip_caller(name="caller2", hangup_after=2)
        self.events.wait(event="CONNECT", agent="alice", timeout=40)
        self.line(alice, r"^call-ended 2")
        self.stop_server()
        self.assertEqual(len(self.events.all(event="RINGNOANSWER", agent="bob")), 1)


class Codes(CallqCase):
    QUEUES = """
[[queue]]
name = "sales"
extension = "600"
members = [{ agent = "bob" }]
"""

    def code_call(self, code, name, user="202", password="pw202"):
        super().code_call(code, name, user, password)
        return segments(self.path(f"{name}.s16"))

    def test_login_and_logout_codes(self):
        self.serve(self.QUEUES)
        heard = self.code_call("*41600", "login")
        self.events.wait(event="ADDMEMBER", queue="sales", agent="bob")
        self.assertGreaterEqual(tone.seconds_of(heard, CONFIRMATION_HZ), 0.3,
                                "no confirmation heard: " + tone.summary(heard))
        self.assertEqual(tone.seconds_of(heard, REFUSAL_HZ), 0)
        self.code_call("*42600", "logout")
        self.events.wait(event="REMOVEMEMBER", queue="sales", agent="bob")
        # Logging out twice is refused: bob is not logged in any more.
        heard = self.code_call("*42600", "again")
        self.assertGreaterEqual(tone.seconds_of(heard, REFUSAL_HZ), 0.5, tone.summary(heard))

    def test_codes_without_a_star_work_too(self):
        # Codes are any dialable string; these once fell through to the direct-call path.
        self.serve(self.QUEUES.replace('extension = "600"',
                                       'extension = "600"\nlogin_code = "7600"\nlogout_code = "8600"'))
        heard = self.code_call("7600", "login")
        self.events.wait(event="ADDMEMBER", queue="sales", agent="bob")
        self.assertGreaterEqual(tone.seconds_of(heard, CONFIRMATION_HZ), 0.3, tone.summary(heard))
        self.code_call("8600", "logout")
        self.events.wait(event="REMOVEMEMBER", queue="sales", agent="bob")

    def test_unknown_code_is_refused_and_changes_nothing(self):
        self.serve(self.QUEUES)
        heard = self.code_call("*41999", "unknown")
        self.server_line(r"agent 'bob' dialled \*41999: no such code")
        self.assertGreaterEqual(tone.seconds_of(heard, REFUSAL_HZ), 0.5, tone.summary(heard))
        self.assertEqual(tone.seconds_of(heard, CONFIRMATION_HZ), 0)
        self.stop_server()
        self.assertEqual(harness.read_json_events(self.events_path), [])

    def test_code_with_wrong_password_is_refused(self):
        self.serve(self.QUEUES)
        caller = self.nsip_caller(to="*41600", name="bad", auth_user="202", auth_pass="nope",
                                  from_="sip:202@127.0.0.1")
        self.line(caller, r"^failed 403")
        self.stop_server()
        self.assertEqual(harness.read_json_events(self.events_path), [])


class Overflow(CallqCase):
    """Timeout and overflow actions that callq serve performs: another queue, an extension,
    hang up."""

    QUEUES = """
[[queue]]
name = "sales"
extension = "600"
members = [{ agent = "bob", static = true }]
max_wait = 2
timeout_action = "queue:support"

[[queue]]
name = "support"
extension = "601"
members = [{ agent = "carol", static = true }]

[[queue]]
name = "nights"
extension = "602"
members = [{ agent = "dave" }]
wait_time_empty = 0
overflow_action = "extension:201"

[[queue]]
name = "closed"
extension = "603"
join_empty = "refuse"
overflow_action = "hangup"
"""

    def test_timeout_to_another_queue_overflow_to_an_extension_and_hang_up(self):
        self.serve(self.QUEUES)
        # sales: bob has no phone; after max_wait the caller moves to support, where carol answers.
        carol = self.nsip_agent("203", "pw203", tone=700)
        caller = self.nsip_caller(name="to-support", tone=1000, hangup_after=6)
        timeout = self.events.wait(event="EXITWITHTIMEOUT", queue="sales")
        self.assertEqual(timeout["reason"], "queue:support")
        self.assertGreaterEqual(timeout["wait_ms"], 2000)
        self.events.wait(event="ENTERQUEUE", queue="support")
        self.events.wait(event="CONNECT", queue="support", agent="carol")
        self.line(caller, r"^bye-sent")
        self.events.wait(event="COMPLETECALLER", agent="carol")
        self.assertGreaterEqual(tone.seconds_of(segments(self.path("to-support.s16")), 700), 1.5)
        # nights: dave is not logged in; the caller leaves at once for alice's extension.
        alice = self.nsip_agent("201", "pw201", tone=600)
        caller = self.nsip_caller(to="602", name="to-alice", tone=1000, hangup_after=4)
        overflow = self.events.wait(event="EXITEMPTY", queue="nights")
        self.assertEqual(overflow["reason"], "extension:201")
        self.line(alice, r"^established")
        self.line(caller, r"^bye-sent")
        self.line(alice, r"^call-ended 1 bye-received")
        self.assertGreaterEqual(tone.seconds_of(segments(self.path("to-alice.s16")), 600), 1.5)
        # closed: nobody is a member; the caller is refused and callq hangs up.
        caller = self.nsip_caller(to="603", name="refused")
        refused = self.events.wait(event="JOINREFUSED", queue="closed")
        self.assertEqual(refused["reason"], "empty")
        self.line(caller, r"^bye-received")


class DirectCalls(CallqCase):
    def test_dialling_an_agents_extension_rings_their_phones(self):
        self.serve(SALES)
        alice = self.nsip_agent("201", "pw201", tone=600)
        caller = self.nsip_caller(to="201", tone=1000, hangup_after=4)
        self.line(alice, r"^established")
        self.line(caller, r"^bye-sent")
        self.line(alice, r"^call-ended 1 bye-received")
        self.assertGreaterEqual(tone.seconds_of(segments(self.path("caller.s16")), 600), 1.5)
        self.assertGreaterEqual(tone.seconds_of(segments(self.path("agent201.s16")), 1000), 1.5)
        # Not a queue call: no queue events.
        self.stop_server()
        self.assertEqual(self.events.all(event="ENTERQUEUE"), [])

    def test_a_rejected_direct_call_gets_the_refusal_and_the_agent_stays_free(self):
        self.serve(SALES)
        busy = self.nsip_agent("202", "pw202", name="busy-phone", mode="reject486")
        caller = self.nsip_caller(to="202", tone=1000)
        self.line(busy, r"^rejected 486")
        self.line(caller, r"^bye-received", timeout=20)  # callq hangs up after the refusal tone
        heard = segments(self.path("caller.s16"))
        self.assertGreaterEqual(tone.seconds_of(heard, REFUSAL_HZ), 0.5, tone.summary(heard))
        busy.stop()
        self.line(busy, r"^exit")
        # Bob's other phone then takes a queue call: the refused direct call left him free.
        self.nsip_agent("202", "pw202", name="desk", tone=600)
        self.nsip_caller(name="queue-caller", hangup_after=2)
        self.events.wait(event="CONNECT", agent="bob", timeout=40)
        self.events.wait(event="COMPLETECALLER", agent="bob")

    def test_unknown_number_gets_404(self):
        self.serve(SALES)
        caller = self.nsip_caller(to="999")
        self.line(caller, r"^failed 404")


class OtherPeers(CallqCase):
    """The same server with SIPp (exact message flows) and baresip (a real softphone, over TCP)."""

    def test_sipp_agents_busy_decline_no_answer_and_answer(self):
        self.serve(SALES)
        for scenario, reason in (("agent_busy", "busy"), ("agent_decline", "declined")):
            port = harness.free_port("both")
            agent = self.start(scenario, harness.sipp_agent_cmd(
                scenario, self.registrar, "202", "pw202", port, self.workdir))
            self.server_line(rf"agent 'bob': phone sip:202@127\.0\.0\.1:{port}\S* registered")
            self.nsip_caller(name=f"caller-{reason}", hangup_after=3)
            self.events.wait(event="RINGNOANSWER", agent="bob", reason=reason)
            self.events.wait(event="ABANDON")
            self.assertEqual(agent.wait(timeout=60), 0, harness.read_text(agent.out_path)[-2000:])
        # Rings for ever: after ring_time (4 s) callq CANCELs; the caller leaves before the retry.
        port = harness.free_port("both")
        agent = self.start("agent_noanswer", harness.sipp_agent_cmd(
            "agent_noanswer", self.registrar, "202", "pw202", port, self.workdir))
        self.server_line(rf"agent 'bob': phone sip:202@127\.0\.0\.1:{port}\S* registered")
        self.nsip_caller(name="caller-noanswer", hangup_after=4.5)
        ring = self.events.wait(event="RINGNOANSWER", agent="bob", reason="no answer")
        self.assertGreaterEqual(ring["ring_ms"], 4000)
        self.events.wait(event="ABANDON")
        self.assertEqual(agent.wait(timeout=60), 0, harness.read_text(agent.out_path)[-2000:])
        self.assertIn("cancelled", harness.read_text(self.path("agent_noanswer.log")))
        port = harness.free_port("both")
        agent = self.start("agent_answer", harness.sipp_agent_cmd(
            "agent_answer", self.registrar, "202", "pw202", port, self.workdir))
        self.server_line(rf"agent 'bob': phone sip:202@127\.0\.0\.1:{port}\S* registered")
        caller = self.start("sipp_caller", harness.sipp_caller_cmd(
            "caller", self.registrar, "600", harness.free_port("both"), self.workdir,
            duration_ms=2000))
        self.events.wait(event="CONNECT", agent="bob")
        self.events.wait(event="COMPLETECALLER", agent="bob")
        self.assertEqual(caller.wait(timeout=60), 0, harness.read_text(caller.out_path)[-2000:])
        self.assertRegex(harness.read_text(self.path("agent_answer.log")), r'from "SIPp caller <sipp> \(sales\)" <')
        self.assertEqual(agent.wait(timeout=60), 0, harness.read_text(agent.out_path)[-2000:])

    def test_an_agent_calling_a_queue_is_busy_meanwhile(self):
        # alice's softphone calls sales, where she is the only agent with a phone: she is busy
        # on her own call, so the queue does not offer it to her; then she is free again.
        import baresip
        self.serve(SALES)
        alice = baresip.Baresip(self.path("alice"), harness.free_port("both", span=2),
                                baresip.agent_account("201", "pw201", self.registrar), tone_hz=600)
        alice.start()
        self.addCleanup(alice.stop)
        alice.wait_registered()
        alice.dial(f"sip:600@{self.registrar}")
        self.server_line(r"call \d+: placed by agent 'alice'")
        self.events.wait(event="ENTERQUEUE", queue="sales")
        time.sleep(3)  # several ringing rounds' worth: nobody to ring
        alice.hangup()
        self.events.wait(event="ABANDON", queue="sales")
        self.nsip_caller(name="next", hangup_after=2)
        self.events.wait(event="CONNECT", agent="alice", timeout=40)
        self.events.wait(event="COMPLETECALLER", agent="alice")
        self.stop_server()
        self.assertEqual([e["event"] for e in self.events.all(agent="alice")],
                         ["CONNECT", "COMPLETECALLER"])

    def test_baresip_agent_over_tcp_and_baresip_caller(self):
        import baresip
        self.serve(SALES)
        agent = baresip.Baresip(self.path("alice"), harness.free_port("both", span=2),
                                baresip.agent_account("201", "pw201", self.registrar, "tcp"),
                                tone_hz=600)
        agent.start()
        self.addCleanup(agent.stop)
        agent.wait_registered()
        caller = baresip.Baresip(self.path("caller"), harness.free_port("both", span=2),
                                 baresip.caller_account(), tone_hz=1000)
        caller.start()
        self.addCleanup(caller.stop)
        caller.dial(f"sip:600@{self.registrar}")
        self.events.wait(event="CONNECT", agent="alice", timeout=40)
        time.sleep(3)  # talk
        caller.hangup()
        self.events.wait(event="COMPLETECALLER", agent="alice")
        agent.wait_event("CALL_CLOSED", timeout=20)
        heard = [tone.dominant_segments(f) for f in caller.recordings("dec")]
        self.assertTrue(any(tone.seconds_of(s, 600) >= 1.5 for s in heard),
                        "caller did not hear alice: " + " / ".join(tone.summary(s) for s in heard))
        heard = [tone.dominant_segments(f) for f in agent.recordings("dec")]
        self.assertTrue(any(tone.seconds_of(s, 1000) >= 1.5 for s in heard),
                        "alice did not hear the caller: " + " / ".join(tone.summary(s) for s in heard))


if __name__ == "__main__":
    unittest.main()
