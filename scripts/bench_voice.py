#!/usr/bin/env python3
"""Helper for scripts/bench-voice: the interviewer's voices side by side.

For each voice, every bundled question and a few interviewer lines are written to WAV with
`rehearse say --out --json` (timed, peak memory from GNU time), then transcribed by the project's
own whisper (`rehearse transcribe --json`, tiny.en, no prompt): word error rate against the text,
whisper's mean word confidence, real-time factor, first-audio latency, peak memory. The neural
voice draws random noise: it runs once per seed, and the spread over seeds is reported.

  bench_voice.py BINARY [--seeds 1,2,3] [--keep DIR]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_common import say  # noqa: E402
from bench_transcribe import normalise, word_errors  # noqa: E402

SCRIPT = "bench-voice"

# What the interviewer says besides the questions: the coaching loop's own lines
# (src/coach/lines.rs) and a follow-up as the coach writes them.
LINES = [
    "30 seconds left.",
    "10 seconds left.",
    "Time's up.",
    "Next question.",
    "That's the end of the round. Thank you.",
    "You didn't mention task definitions. How would you describe a task to Amazon ECS?",
]


def run_say(binary, voice, seed, target, out):
    """One `say --out`: its JSON and peak memory (kB)."""
    cmd = ["/usr/bin/time", "-f", "MAXRSS %M", binary, "--voice", voice, "say", *target,
           "--out", out, "--json", "--seed", str(seed)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    rss = [int(l.split()[1]) for l in done.stderr.splitlines() if l.startswith("MAXRSS ")]
    return json.loads(done.stdout), rss[-1]


def transcribe(binary, wav):
    done = subprocess.run([binary, "--prompt-style", "none", "transcribe", wav, "--json"],
                          capture_output=True, text=True, check=True)
    doc = json.loads(done.stdout)
    words = [w for s in doc["segments"] for w in s.get("words", [])]
    return doc["text"], [w["p"] for w in words]


def measure(binary, voice, seed, items, keep):
    rows = []
    for label, target, reference in items:
        out = os.path.join(keep, "%s-%s-%d.wav" % (voice, label, seed))
        said, rss = run_say(binary, voice, seed, target, out)
        heard, probs = transcribe(binary, out)
        ref = normalise(reference)
        rows.append({
            "label": label, "reference": reference, "heard": heard.strip(),
            "errors": word_errors(ref, normalise(heard)), "words": len(ref),
            "probs": probs, "synth_s": said["synth_s"], "duration_s": said["duration_s"],
            "first_audio_s": said["first_audio_s"], "rss_mb": rss / 1024, "engine": said["engine"],
        })
    return rows


def summary(rows):
    probs = [p for r in rows for p in r["probs"]]
    return {
        "wer": sum(r["errors"] for r in rows) / sum(r["words"] for r in rows),
        "conf": statistics.mean(probs) if probs else float("nan"),
        "rtf": sum(r["synth_s"] for r in rows) / sum(r["duration_s"] for r in rows),
        "first": statistics.median(r["first_audio_s"] for r in rows),
        "first_max": max(r["first_audio_s"] for r in rows),
        "rss": max(r["rss_mb"] for r in rows),
        "engine": rows[0]["engine"],
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--seeds", default="1,2,3")
    ap.add_argument("--keep", default=None, help="keep the WAV files in this folder")
    a = ap.parse_args()
    keep = a.keep or tempfile.mkdtemp(prefix="bench-voice-")
    os.makedirs(keep, exist_ok=True)
    questions = json.loads(subprocess.run([a.binary, "questions", "--json"], capture_output=True,
                                          text=True, check=True).stdout)
    items = [(q["id"], ["--question", q["id"]], q["question"]) for q in questions]
    items += [("line%d" % i, [text], text) for i, text in enumerate(LINES, 1)]
    seeds = [int(s) for s in a.seeds.split(",")]
    runs = {}
    for voice, voice_seeds in (("en_US-joe-medium", seeds), ("espeak", seeds[:1])):
        for seed in voice_seeds:
            say(SCRIPT, "%s, seed %d: %d lines" % (voice, seed, len(items)))
            runs[(voice, seed)] = measure(a.binary, voice, seed, items, keep)
    print("| voice | seed | WER | mean word confidence | RTF | first audio (median, max) | peak memory |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for (voice, seed), rows in runs.items():
        s = summary(rows)
        print("| %s (%s) | %d | %.1f %% | %.3f | %.3f | %.2f s, %.2f s | %.0f MB |" % (
            voice, s["engine"], seed, 100 * s["wer"], s["conf"], s["rtf"], s["first"],
            s["first_max"], s["rss"]))
    print()
    print("Lines heard wrong (first seed of each voice):")
    for voice in ("en_US-joe-medium", "espeak"):
        for r in runs[(voice, seeds[0])]:
            if r["errors"]:
                print("- %s, %s: %r heard as %r" % (voice, r["label"], r["reference"], r["heard"]))
    say(SCRIPT, "WAV files in %s" % keep)


if __name__ == "__main__":
    main()
