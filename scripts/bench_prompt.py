"""Helper of scripts/bench-prompt: speaks the evaluation answers, with and without inserted
filler words, and scores them with each prompt style."""

import json
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

STYLES = ["none", "terms", "terms-and-fillers"]
FILLERS = ["um", "uh"]


def with_fillers(text):
    """Put a filler before every eighth word: 'um' and 'uh' in turn."""
    words = text.split()
    out, inserted = [], 0
    for i, word in enumerate(words):
        if i % 8 == 4:
            out.append(FILLERS[inserted % 2] + ",")
            inserted += 1
        out.append(word)
    return " ".join(out), inserted


def main(binary):
    answers = tomllib.loads(Path("tests/fixtures/eval-answers.toml").read_text())["answer"]
    totals = {s: {"score": 0.0, "hits": 0, "points": 0, "fillers": 0} for s in STYLES}
    inserted_total = 0
    with tempfile.TemporaryDirectory() as tmp:
        for answer in answers:
            plain = Path(tmp, answer["id"] + ".wav")
            filled = Path(tmp, answer["id"] + "-fillers.wav")
            text, inserted = with_fillers(answer["good"])
            inserted_total += inserted
            for path, words in ((plain, answer["good"]), (filled, text)):
                subprocess.run(["espeak-ng", "-v", "en-us", "-s", "160", "-w", str(path), words], check=True)
            for style in STYLES:
                env_args = [binary, "--prompt-style", style, "score", answer["id"], "--json", "--wav"]
                report = json.loads(subprocess.run(env_args + [str(plain)], check=True, capture_output=True).stdout)
                totals[style]["score"] += report["score"]
                totals[style]["hits"] += sum(p["status"] == "hit" for p in report["key_points"])
                totals[style]["points"] += len(report["key_points"])
                report = json.loads(subprocess.run(env_args + [str(filled)], check=True, capture_output=True).stdout)
                totals[style]["fillers"] += sum(w in ("um", "uh") for w in report["delivery"]["filler_words"])
    n = len(answers)
    print(f"{n} good answers spoken by espeak-ng (en-us, 160 wpm); {inserted_total} fillers put into their second reading\n")
    print("| prompt style | mean score | key points heard | fillers written out |")
    print("| --- | --- | --- | --- |")
    for style in STYLES:
        t = totals[style]
        print(f"| {style} | {t['score'] / n:.1f} | {t['hits']}/{t['points']} | {t['fillers']}/{inserted_total} |")


if __name__ == "__main__":
    main(sys.argv[1])
