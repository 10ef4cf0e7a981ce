"""What the benchmark scripts share: messages, and a baseline build of an earlier commit."""

import os
import subprocess
import sys

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
