#!/usr/bin/env python3
"""Test-tone analysis and generation for callq's end-to-end tests (standard library only).

Every party in a test sends its own sine (e.g. server hold tone 440 Hz, agent 600 Hz, caller
1000 Hz), so "the caller heard the agent" becomes "600 Hz dominates the caller's recording
for at least N seconds".

CLI:
  python3 tone.py analyze FILE [--format ulaw|alaw|s16|wav] [--rate 8000] [--window 0.5]
                  [--freqs 350,480] [--no-default-freqs] [--silence-rms 100] [--min-share 0.6]
                  [--segments] [--json]
      One line per window: "START END LABEL" (seconds, LABEL = frequency in Hz, "silence" or
      "other"), then "# summary: 0.0-2.0s 440Hz | 2.0-7.0s 600Hz". --segments prints only
      the merged segments; --json prints {"rate", "seconds", "windows", "segments"}.
  python3 tone.py make-wav FILE --freq HZ --seconds S [--rate 8000] [--amplitude 8000]
      16-bit mono PCM WAV of a sine (e.g. baresip's aufile audio source).

Module:
  read_samples(path, fmt=None, rate=8000) -> (samples: list[int], rate)
  goertzel_power(samples, rate, freq) -> float
  analyze(samples, rate, freqs=None, window=0.5, ...) -> [(start_s, end_s, label)] per window
  dominant_segments(path, fmt=None, freqs=None, window=0.5, ...) -> merged [(start_s, end_s, label)]
  seconds_of(segments, freq), longest_run(segments, freq), first_start(segments, freq),
  summary(segments)
  LABEL is an int frequency (one candidate carries at least min_share of the window's
  energy), None (silence: RMS below silence_rms) or the string "other" (sound, but no
  single candidate dominates: speech, noise, a mix of two tones, a transition).

Formats (fmt=None guesses from the extension):
  wav  (.wav)                  RIFF WAVE: PCM 8/16/24/32-bit, IEEE float, mu-law, A-law,
                               WAVE_FORMAT_EXTENSIBLE; first channel only
  s16  (.s16 .raw .pcm .sw)    signed 16-bit little-endian mono (what nsip_*.pl --rec write)
  ulaw (.ul .ulaw .pcmu .u8)   G.711 mu-law bytes
  alaw (.al .alaw .pcma)       G.711 A-law bytes
"""

import argparse
import json
import math
import os
import struct
import sys
import wave

DEFAULT_FREQS = (425, 440, 600, 1000)
BLOCK_S = 0.1          # Goertzel block: 100 ms, i.e. 10 Hz resolution
TOLERANCE_HZ = (-3.0, 0.0, 3.0)   # each candidate is also probed 3 Hz off


# ---------------------------------------------------------------- G.711
def _ulaw_to_lin(u):
    u = ~u & 0xFF
    t = ((u & 0x0F) << 3) + 0x84
    t <<= (u & 0x70) >> 4
    return (0x84 - t) if (u & 0x80) else (t - 0x84)


def _alaw_to_lin(a):
    a ^= 0x55
    t = (a & 0x0F) << 4
    seg = (a & 0x70) >> 4
    if seg == 0:
        t += 8
    elif seg == 1:
        t += 0x108
    else:
        t = (t + 0x108) << (seg - 1)
    return t if (a & 0x80) else -t


ULAW_TABLE = [_ulaw_to_lin(i) for i in range(256)]
ALAW_TABLE = [_alaw_to_lin(i) for i in range(256)]


# ---------------------------------------------------------------- reading
def guess_format(path):
    ext = os.path.splitext(path)[1].lower().lstrip(".")
    if ext == "wav":
        return "wav"
    if ext in ("ul", "ulaw", "pcmu", "u8", "mulaw"):
        return "ulaw"
    if ext in ("al", "alaw", "pcma"):
        return "alaw"
    if ext in ("s16", "raw", "pcm", "sw", "s16le", "l16"):
        return "s16"
    with open(path, "rb") as f:
        head = f.read(12)
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    raise ValueError(f"cannot guess the format of {path}; pass fmt/--format")


def _read_wav(path):
    """Minimal RIFF parser (Python 3.11's wave module rejects WAVE_FORMAT_EXTENSIBLE)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise ValueError(f"{path}: not a RIFF/WAVE file")
    pos, fmt, pcm = 12, None, None
    while pos + 8 <= len(data):
        cid, size = data[pos:pos + 4], struct.unpack("<I", data[pos + 4:pos + 8])[0]
        body = data[pos + 8:pos + 8 + size]
        if cid == b"fmt ":
            fmt = body
        elif cid == b"data":
            pcm = body
            if size == 0 or size == 0xFFFFFFFF:   # writer never finalised the header
                pcm = data[pos + 8:]
            break
        pos += 8 + size + (size & 1)
    if fmt is None or pcm is None:
        raise ValueError(f"{path}: missing fmt or data chunk")
    tag, channels, rate, _, block_align, bits = struct.unpack("<HHIIHH", fmt[:16])
    if tag == 0xFFFE and len(fmt) >= 26:
        tag = struct.unpack("<H", fmt[24:26])[0]
    width = max(1, bits // 8)
    frame = block_align or width * channels
    nframes = len(pcm) // frame
    if tag == 1 and width == 2:
        allv = struct.unpack("<%dh" % (nframes * channels), pcm[:nframes * frame])
        return list(allv[::channels]), rate
    if tag == 1 and width == 1:
        return [(pcm[i * frame] - 128) << 8 for i in range(nframes)], rate
    if tag == 1 and width in (3, 4):
        out = []
        for i in range(nframes):
            b = pcm[i * frame:i * frame + width]
            out.append(int.from_bytes(b, "little", signed=True) >> (8 * (width - 2)))
        return out, rate
    if tag == 3 and width == 4:
        allv = struct.unpack("<%df" % (nframes * channels), pcm[:nframes * frame])
        return [int(max(-1.0, min(1.0, v)) * 32767) for v in allv[::channels]], rate
    if tag == 7 and width == 1:
        return [ULAW_TABLE[pcm[i * frame]] for i in range(nframes)], rate
    if tag == 6 and width == 1:
        return [ALAW_TABLE[pcm[i * frame]] for i in range(nframes)], rate
    raise ValueError(f"{path}: unsupported WAV format tag {tag}, {bits} bits")


def read_samples(path, fmt=None, rate=8000):
    """Returns (samples, rate): samples are ints on a 16-bit scale, first channel only."""
    fmt = fmt or guess_format(path)
    if fmt == "wav":
        return _read_wav(path)
    with open(path, "rb") as f:
        data = f.read()
    if fmt == "s16":
        n = len(data) // 2
        return list(struct.unpack("<%dh" % n, data[:2 * n])), rate
    if fmt == "ulaw":
        return [ULAW_TABLE[b] for b in data], rate
    if fmt == "alaw":
        return [ALAW_TABLE[b] for b in data], rate
    raise ValueError(f"unknown format {fmt!r} (ulaw, alaw, s16, wav)")


# ---------------------------------------------------------------- analysis
def goertzel_power(samples, rate, freq):
    """Goertzel filter: squared magnitude of the DFT of samples at freq (any real freq)."""
    w = 2.0 * math.pi * freq / rate
    coeff = 2.0 * math.cos(w)
    s1 = s2 = 0.0
    for x in samples:
        s0 = x + coeff * s1 - s2
        s2 = s1
        s1 = s0
    return s1 * s1 + s2 * s2 - coeff * s1 * s2


def _window_shares(samples, rate, freqs):
    """Energy and, per candidate, the share of energy at that frequency (0..1) in samples.

    The window is cut into 100 ms blocks; a pure sine of frequency f gives a share near 1 at f
    (within about 3 Hz) and under 0.05 at candidates 15 Hz or more away."""
    block = max(1, int(rate * BLOCK_S))
    energy = 0.0
    power = {f: 0.0 for f in freqs}
    for start in range(0, len(samples) - block + 1, block):
        chunk = samples[start:start + block]
        e = float(sum(x * x for x in chunk))
        energy += e
        if e == 0.0:
            continue
        for f in freqs:
            best = max(goertzel_power(chunk, rate, f + d) for d in TOLERANCE_HZ)
            power[f] += 2.0 * best / block      # a pure sine: 2P/N == sum(x^2)
    shares = {f: (power[f] / energy if energy else 0.0) for f in freqs}
    return energy, shares


def analyze(samples, rate, freqs=None, window=0.5, silence_rms=100.0, min_share=0.6):
    """Per window of `window` seconds: (start_s, end_s, label), label int Hz / None / "other"."""
    freqs = sorted(set(int(f) if float(f).is_integer() else float(f) for f in (freqs or DEFAULT_FREQS)))
    win = max(1, int(round(window * rate)))
    out = []
    for start in range(0, len(samples) - win + 1, win):
        chunk = samples[start:start + win]
        energy, shares = _window_shares(chunk, rate, freqs)
        rms = math.sqrt(energy / len(chunk)) if chunk else 0.0
        if rms < silence_rms:
            label = None
        else:
            best = max(freqs, key=lambda f: shares[f])
            label = best if shares[best] >= min_share else "other"
        out.append((round(start / rate, 3), round((start + win) / rate, 3), label))
    return out


def merge(windows):
    """Merges consecutive windows with the same label into segments."""
    segs = []
    for s, e, label in windows:
        if segs and segs[-1][2] == label and abs(segs[-1][1] - s) < 1e-6:
            segs[-1] = (segs[-1][0], e, label)
        else:
            segs.append((s, e, label))
    return segs


def dominant_segments(path, fmt=None, freqs=None, window=0.5, rate=8000, silence_rms=100.0,
                      min_share=0.6, extra_freqs=None):
    """[(start_s, end_s, freq_or_None_or_"other")] for the file, consecutive windows merged.

    freqs: candidate frequencies (default 425, 440, 600, 1000); extra_freqs are added to them.
    fmt: "wav", "s16", "ulaw", "alaw" or None to guess from the extension; rate applies to the
    raw formats."""
    samples, rate = read_samples(path, fmt, rate)
    cands = list(freqs or DEFAULT_FREQS) + list(extra_freqs or [])
    return merge(analyze(samples, rate, cands, window, silence_rms, min_share))


def seconds_of(segments, label):
    """Total seconds during which `label` (a frequency, None or "other") dominates."""
    return round(sum(e - s for s, e, l in segments if l == label), 3)


def longest_run(segments, label):
    """Longest continuous stretch (seconds) of `label`."""
    return round(max([e - s for s, e, l in segments if l == label] or [0.0]), 3)


def first_start(segments, label):
    """Start time (seconds) of the first segment with `label`, or None."""
    for s, _, l in segments:
        if l == label:
            return s
    return None


def _label_str(label):
    if label is None:
        return "silence"
    if label == "other":
        return "other"
    return "%gHz" % label


def summary(segments):
    """'0.0-2.0s 440Hz | 2.0-7.0s 600Hz' (for assertion messages)."""
    return " | ".join("%.1f-%.1fs %s" % (s, e, _label_str(l)) for s, e, l in segments) or "(empty)"


# ---------------------------------------------------------------- generation
def make_wav(path, freq, seconds, rate=8000, amplitude=8000):
    """Writes a 16-bit mono PCM WAV with a sine of `freq` Hz (0 = silence)."""
    n = int(round(seconds * rate))
    frames = struct.pack("<%dh" % n, *(int(round(amplitude * math.sin(2 * math.pi * freq * i / rate)))
                                       for i in range(n)))
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(frames)
    return path


# ---------------------------------------------------------------- CLI
def _parse_freqs(text):
    out = []
    for part in (text or "").replace(" ", "").split(","):
        if part:
            v = float(part)
            out.append(int(v) if v.is_integer() else v)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description="Test-tone analysis (Goertzel) and WAV generation")
    sub = ap.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("analyze", help="dominant candidate frequency per window")
    a.add_argument("file")
    a.add_argument("--format", choices=["ulaw", "alaw", "s16", "wav"], default=None)
    a.add_argument("--rate", type=int, default=8000, help="sample rate of raw formats (default 8000)")
    a.add_argument("--window", type=float, default=0.5, help="window in seconds (default 0.5)")
    a.add_argument("--freqs", default="", help="extra candidate frequencies, comma-separated")
    a.add_argument("--no-default-freqs", action="store_true",
                   help="use only --freqs, not the defaults 425,440,600,1000")
    a.add_argument("--silence-rms", type=float, default=100.0, help="RMS below this = silence")
    a.add_argument("--min-share", type=float, default=0.6,
                   help="share of window energy a candidate needs to dominate (default 0.6)")
    a.add_argument("--segments", action="store_true", help="print merged segments only")
    a.add_argument("--json", action="store_true", help="JSON output")
    m = sub.add_parser("make-wav", help="write a sine as a 16-bit mono WAV")
    m.add_argument("file")
    m.add_argument("--freq", type=float, required=True)
    m.add_argument("--seconds", type=float, required=True)
    m.add_argument("--rate", type=int, default=8000)
    m.add_argument("--amplitude", type=int, default=8000, help="peak, 16-bit scale (default 8000)")
    args = ap.parse_args(argv)

    if args.cmd == "make-wav":
        make_wav(args.file, args.freq, args.seconds, args.rate, args.amplitude)
        return 0

    freqs = [] if args.no_default_freqs else list(DEFAULT_FREQS)
    freqs += _parse_freqs(args.freqs)
    if not freqs:
        ap.error("no candidate frequencies")
    samples, rate = read_samples(args.file, args.format, args.rate)
    windows = analyze(samples, rate, freqs, args.window, args.silence_rms, args.min_share)
    segs = merge(windows)
    if args.json:
        print(json.dumps({"rate": rate, "seconds": round(len(samples) / rate, 3),
                          "windows": windows, "segments": segs}))
        return 0
    if not args.segments:
        for s, e, label in windows:
            print("%.2f %.2f %s" % (s, e, _label_str(label).replace("Hz", "")))
    print("# %s: %.1fs at %d Hz | %s" % (os.path.basename(args.file), len(samples) / rate, rate,
                                        summary(segs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
