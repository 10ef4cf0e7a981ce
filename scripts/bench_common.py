"""What the benchmark scripts share: messages, and a baseline build of an earlier commit."""

import json
import math
import os
import statistics
import subprocess
import sys
import tomllib

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def say(script, msg):
    print("%s: %s" % (script, msg), file=sys.stderr, flush=True)


def baseline(rev, cache, script):
    """Build rehearse at `rev` once, into `cache`/baseline-REV with its own target folder (a
    whisper.cpp build: a few minutes the first time); returns its binary."""
    src = os.path.join(cache, "baseline-" + rev)
    binary = os.path.join(src, "target", "release", "rehearse")
    if not os.path.exists(binary):
        if not os.path.isdir(src):
            subprocess.run(["git", "-C", REPO, "worktree", "add", "--detach", src, rev], check=True)
        say(script, "building the baseline %s (first time only)" % rev)
        subprocess.run(["cargo", "build", "--release", "--locked"], cwd=src, check=True,
                       env=dict(os.environ, CARGO_TARGET_DIR=os.path.join(src, "target")))
    return binary


def bench_cache():
    """Where baselines are built: BENCH_CACHE, else the user's cache folder."""
    return os.environ.get("BENCH_CACHE", os.path.join(
        os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "rehearse-bench"))


def pearson(xs, ys):
    n = len(xs)
    if n < 2:
        return float("nan")
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    return sxy / math.sqrt(sxx * syy) if sxx > 0 and syy > 0 else 0.0


def ranks(xs):
    order = sorted(range(len(xs)), key=lambda i: xs[i])
    r = [0.0] * len(xs)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and xs[order[j + 1]] == xs[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return r


def spearman(xs, ys):
    return pearson(ranks(xs), ranks(ys))


def score(binary, bank, qid, text, models_dir):
    cmd = [binary, "--bank", bank, "--models-dir", models_dir, "score", qid, "--text=" + text,
           "--json"]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("rehearse score %s failed: %s" % (qid, p.stderr.strip()))
    return json.loads(p.stdout)


def agreement(rows):
    """rows: (question, system score, human score) → pooled Pearson, Spearman, mean per-question
    Pearson."""
    xs = [r[1] for r in rows]
    ys = [r[2] for r in rows]
    per_question = []
    for q in sorted({r[0] for r in rows}):
        qx = [r[1] for r in rows if r[0] == q]
        qy = [r[2] for r in rows if r[0] == q]
        per_question.append(pearson(qx, qy) if len(set(qx)) > 1 else 0.0)
    return pearson(xs, ys), spearman(xs, ys), statistics.mean(per_question)


def import_asag(binary, data, tmp):
    """The set's questions as a bank, through `bank import`; returns (bank path, question ids in
    the set's order)."""
    md = os.path.join(tmp, "asag.md")
    with open(md, "w") as f:
        f.write("# Data structures\n\n")
        for q in data["questions"]:
            f.write("Q: %s\nA: %s\n\n" % (q["question"], q["reference"]))
    bank = os.path.join(tmp, "asag.toml")
    subprocess.run([binary, "bank", "import", md, "--out", bank, "--force"], check=True,
                   capture_output=True)
    with open(bank, "rb") as f:
        imported = tomllib.load(f)["question"]
    if len(imported) != len(data["questions"]):
        sys.exit("rehearse bank import kept %d of %d questions"
                 % (len(imported), len(data["questions"])))
    return bank, [q["id"] for q in imported]
