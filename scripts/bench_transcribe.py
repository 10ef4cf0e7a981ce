#!/usr/bin/env python3
"""Helper for scripts/bench-transcribe: timed runs, WER, faster-whisper runner, markdown table.

Standard library only, except `fw`, which runs inside the benchmark's own venv (faster-whisper).

  bench_transcribe.py run   --label L --run I --results R.tsv --ref REF.txt --out-dir D [--reject-disturbed] -- CMD...
  bench_transcribe.py wer   REF.txt HYP.txt
  bench_transcribe.py fw    --model-dir D --threads N [--word-timestamps] WAV
  bench_transcribe.py table R.tsv
  bench_transcribe.py busy  (prints total busy CPU seconds of the machine, from /proc/stat)
  bench_transcribe.py idle  [--max-wait S]  (waits until other processes use < 5 % of a core)
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time

# ---------------------------------------------------------------- text and WER


def normalise(text):
    """Lower case, words only: punctuation becomes space, inner apostrophes are kept."""
    text = text.lower().replace("\u2019", "'")
    text = re.sub(r"[^a-z0-9']+", " ", text)
    words = [w.strip("'") for w in text.split()]
    return [w for w in words if w]


def word_errors(ref, hyp):
    """Word-level Levenshtein distance (substitutions + deletions + insertions)."""
    prev = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        cur = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (r != h))
        prev = cur
    return prev[-1]


def wer(ref_text, hyp_text):
    ref = normalise(ref_text)
    if not ref:
        raise ValueError("empty reference")
    return word_errors(ref, normalise(hyp_text)) / len(ref)


def transcript_text(stdout):
    """The transcript in a program's stdout: a JSON document's text, else the plain text."""
    s = stdout.strip()
    if s.startswith("{") or s.startswith("["):
        try:
            return json_text(json.loads(s))
        except ValueError:
            pass  # not JSON: plain text that starts with a time stamp
    # Plain text: drop segment time stamps such as "[0:00]" or "[00:01:02.500 --> 00:01:05.000]".
    return re.sub(r"\[[0-9:.]+(\s*-->\s*[0-9:.]+)?\]", " ", stdout)


def json_text(doc):
    if isinstance(doc, dict):
        for key in ("text", "transcript"):
            if isinstance(doc.get(key), str):
                return doc[key]
        for key in ("segments", "phrases", "transcript"):
            if isinstance(doc.get(key), list):
                return " ".join(json_text(x) for x in doc[key])
        return ""
    if isinstance(doc, list):
        return " ".join(json_text(x) for x in doc)
    if isinstance(doc, str):
        return doc
    return ""


# ---------------------------------------------------------------- machine load


def busy_seconds():
    """Busy CPU seconds of the whole machine since boot (all cores: user, nice, system, irq, softirq, steal)."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return (v[0] + v[1] + v[2] + v[5] + v[6] + (v[7] if len(v) > 7 else 0)) / os.sysconf("SC_CLK_TCK")


def cmd_busy(_a):
    print("%.2f" % busy_seconds())


def cmd_idle(a):
    """Wait until the machine is idle: < 5 % of one core busy over 3 s."""
    start = time.monotonic()
    warned = False
    while True:
        b0 = busy_seconds()
        time.sleep(3)
        frac = (busy_seconds() - b0) / 3
        if frac < 0.05:
            return
        if time.monotonic() - start > a.max_wait:
            print("bench: machine still busy (%.0f %% of a core) after %d s; going on" % (100 * frac, a.max_wait),
                  file=sys.stderr)
            return
        if not warned:
            print("bench: waiting for other processes to finish (%.0f %% of a core busy)" % (100 * frac),
                  file=sys.stderr)
            warned = True


# ---------------------------------------------------------------- one timed run


def cmd_run(a):
    os.makedirs(a.out_dir, exist_ok=True)
    stem = os.path.join(a.out_dir, "%s.%s" % (re.sub(r"[^A-Za-z0-9_.-]+", "_", a.label), a.run))
    tfile = stem + ".time"
    with open(stem + ".stderr", "wb") as err:
        me0 = sum(os.times()[:4])
        busy0 = busy_seconds()
        t0 = time.monotonic()
        p = subprocess.Popen(
            ["/usr/bin/time", "-f", "%e %M %U %S", "-o", tfile] + a.command,
            stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL)
        first = None
        chunks = []
        for line in p.stdout:  # the programs flush per line (Rust stdout, Python flush=True, the C++ CLI)
            if first is None and line.strip():
                first = time.monotonic() - t0
            chunks.append(line)
        rc = p.wait()
        busy1 = busy_seconds()
        me1 = sum(os.times()[:4])  # this helper and its waited children (time, the program)
    out = b"".join(chunks).decode("utf-8", "replace")
    with open(stem + ".stdout", "w") as f:
        f.write(out)
    wall = rss_kb = user = sys_s = float("nan")
    try:
        with open(tfile) as f:
            last = [l for l in f.read().splitlines() if l.strip()][-1].split()
        wall, rss_kb, user, sys_s = float(last[0]), float(last[1]), float(last[2]), float(last[3])
    except (OSError, IndexError, ValueError):
        pass
    with open(a.ref) as f:
        ref = f.read()
    w = wer(ref, transcript_text(out)) if rc == 0 else float("nan")
    # The program's own timings, if it prints a line "bench: key=value ..." on stderr.
    own = {}
    with open(stem + ".stderr", errors="replace") as f:
        for l in f:
            if l.startswith("bench:"):
                for kv in l.split()[1:]:
                    if "=" in kv:
                        k, v = kv.split("=", 1)
                        own[k] = v
    # CPU time other processes took while this run went on: a disturbed run is not comparable.
    others = max(0.0, (busy1 - busy0) - (me1 - me0))
    row = [a.label, a.run, rc, wall, rss_kb / 1024.0, user, sys_s,
           first if first is not None else float("nan"), w,
           float(own.get("load_s", "nan")), others]
    disturbed = rc == 0 and wall > 0 and others / wall > DISTURBED
    reject = disturbed and a.reject_disturbed
    with open(a.results + (".rejected" if reject else ""), "a") as f:
        f.write("\t".join(str(x) for x in row) + "\n")
    status = "ok" if rc == 0 else "FAILED rc=%d (see %s.stderr)" % (rc, stem)
    if disturbed:
        status = "DISTURBED (other processes: %.1f CPU-s)%s" % (others, ", will retry" if reject else "")
    print("  %-28s run %-8s wall %6.2f s  rss %6.1f MB  cpu %4.0f %%  first out %5s  WER %5.1f %%  %s"
          % (a.label, a.run, wall, rss_kb / 1024.0, 100 * (user + sys_s) / wall if wall > 0 else 0,
             "%.2f" % first if first is not None else "-", 100 * w, status), file=sys.stderr)
    if reject:
        sys.exit(3)


HEADER = ["label", "run", "rc", "wall_s", "rss_mb", "user_s", "sys_s", "first_out_s", "wer",
          "load_s", "others_cpu_s"]
DISTURBED = 0.05  # other processes took more than 5 % of one core during the run


# ---------------------------------------------------------------- faster-whisper runner


def cmd_fw(a):
    t0 = time.monotonic()
    from faster_whisper import WhisperModel  # only inside the benchmark venv

    model = WhisperModel(a.model_dir, device="cpu", compute_type="int8",
                         cpu_threads=a.threads, num_workers=1, local_files_only=True)
    load = time.monotonic() - t0
    segments, _info = model.transcribe(
        a.wav, language="en", task="transcribe",
        beam_size=1, best_of=1,          # greedy
        temperature=0.0,                 # a single temperature: no fallback
        condition_on_previous_text=True,
        word_timestamps=a.word_timestamps,
        vad_filter=False,
        without_timestamps=False)
    for seg in segments:  # a generator: segments are decoded as they are printed
        print(seg.text.strip(), flush=True)
    print("bench: load_s=%.3f total_s=%.3f" % (load, time.monotonic() - t0), file=sys.stderr)


# ---------------------------------------------------------------- summary table


def fmt(x, spec="%.2f"):
    return "–" if x is None or x != x else spec % x


def cmd_table(a):
    rows = []
    with open(a.results) as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if not p or p[0] == "label":
                continue
            r = dict(zip(HEADER, p))
            for k in HEADER[2:]:
                r[k] = float(r[k])
            rows.append(r)
    labels = []
    for r in rows:
        if r["label"] not in labels:
            labels.append(r["label"])

    def stats(label):
        ok = [r for r in rows if r["label"] == label and r["rc"] == 0]
        n_all = len([r for r in rows if r["label"] == label])
        if not ok:
            return dict(n=0, n_all=n_all)
        med = lambda k: statistics.median([r[k] for r in ok])
        wers = [r["wer"] for r in ok]
        firsts = [r["first_out_s"] for r in ok if r["first_out_s"] == r["first_out_s"]]
        loads = [r["load_s"] for r in ok if r["load_s"] == r["load_s"]]
        disturbed = len([r for r in ok if r["wall_s"] > 0 and r["others_cpu_s"] / r["wall_s"] > DISTURBED])
        return dict(n=len(ok), n_all=n_all, disturbed=disturbed, wall=med("wall_s"), wall_min=min(r["wall_s"] for r in ok),
                    rss=med("rss_mb"), cpu=statistics.median(
                        [(r["user_s"] + r["sys_s"]) / r["wall_s"] for r in ok if r["wall_s"] > 0] or [float("nan")]),
                    wer_min=min(wers), wer_max=max(wers),
                    first=statistics.median(firsts) if firsts else None,
                    load=statistics.median(loads) if loads else None)

    s = {l: stats(l) for l in labels}
    refs = [l for l in labels if l.startswith("whisper.cpp") and s[l]["n"]]

    cols = ["engine", "runs", "wall median (s)", "wall min (s)", "peak RSS median (MB)", "CPU",
            "WER", "first output (s)", "model load (s)"]
    for ref in refs:
        cols += ["wall × " + ref, "RSS × " + ref]
    print("| " + " | ".join(cols) + " |")
    print("|" + "|".join([" --- "] + [" ---: "] * (len(cols) - 1)) + "|")
    for l in labels:
        x = s[l]
        if not x["n"]:
            print("| " + " | ".join([l, "0/%d (failed)" % x["n_all"]] + ["–"] * (len(cols) - 2)) + " |")
            continue
        wer_s = ("%.1f %%" % (100 * x["wer_min"]) if abs(x["wer_max"] - x["wer_min"]) < 1e-9
                 else "%.1f–%.1f %%" % (100 * x["wer_min"], 100 * x["wer_max"]))
        cells = [l, "%d" % x["n"] if x["n"] == x["n_all"] else "%d/%d" % (x["n"], x["n_all"]),
                 fmt(x["wall"]), fmt(x["wall_min"]), fmt(x["rss"], "%.0f"), fmt(100 * x["cpu"], "%.0f %%"),
                 wer_s, fmt(x["first"]), fmt(x["load"])]
        for ref in refs:
            cells += [fmt(x["wall"] / s[ref]["wall"]), fmt(x["rss"] / s[ref]["rss"])]
        print("| " + " | ".join(cells) + " |")
    bad = ["%s: %d of %d" % (l, s[l]["disturbed"], s[l]["n"]) for l in labels if s[l].get("disturbed")]
    if bad:
        print()
        print("**Disturbed runs** (other processes took > %d %% of a core): %s. Re-run on an idle machine."
              % (100 * DISTURBED, "; ".join(bad)))


def cmd_wer(a):
    with open(a.ref) as f:
        ref = f.read()
    with open(a.hyp) as f:
        hyp = f.read()
    print("%.4f" % wer(ref, transcript_text(hyp)))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("--label", required=True)
    r.add_argument("--run", required=True)
    r.add_argument("--results", required=True)
    r.add_argument("--ref", required=True)
    r.add_argument("--out-dir", required=True)
    r.add_argument("--reject-disturbed", action="store_true",
                   help="a disturbed run goes to RESULTS.rejected instead, and the exit status is 3")
    r.add_argument("command", nargs=argparse.REMAINDER)
    w = sub.add_parser("wer")
    w.add_argument("ref")
    w.add_argument("hyp")
    f = sub.add_parser("fw")
    f.add_argument("--model-dir", required=True)
    f.add_argument("--threads", type=int, required=True)
    f.add_argument("--word-timestamps", action="store_true")
    f.add_argument("wav")
    t = sub.add_parser("table")
    t.add_argument("results")
    sub.add_parser("busy")
    i = sub.add_parser("idle")
    i.add_argument("--max-wait", type=int, default=600)
    a = ap.parse_args()
    if a.cmd == "run":
        if a.command[:1] == ["--"]:
            a.command = a.command[1:]
        if not a.command:
            ap.error("run: no command")
        cmd_run(a)
    else:
        {"wer": cmd_wer, "fw": cmd_fw, "table": cmd_table, "busy": cmd_busy, "idle": cmd_idle}[a.cmd](a)


if __name__ == "__main__":
    main()
