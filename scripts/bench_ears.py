"""Helper of scripts/bench-ears: how well the ears hear the bank's jargon, side by side with an
earlier build, in one run. Speaks tests/fixtures/spoken-answers.toml with two synthetic voices
(festival's US HTS voice, espeak-ng), transcribes each answer with and without its question,
and the LibriVox clips (human speech about nothing in the bank); prints word error rate, term
recall, terms put into the LibriVox speech, and the real-time factor, as Markdown."""

import difflib
import hashlib
import json
import os
import re
import subprocess
import sys
import resource
import tomllib
from pathlib import Path

from bench_common import REPO, bench_cache, say

SCRIPT = "bench-ears"
VOICES = ["festival", "espeak-ng"]
LIBRIVOX = ["0870", "0880", "0890", "0920", "0930"]
THREADS = os.environ.get("BENCH_THREADS", "1")

# (label, which build, with the question?, environment)
CONFIGS = [
    ("today, question's prompt", "base", True, {}),
    ("prompt + bias + correction", "new", True, {}),
    ("today, no question", "base", False, {}),
    ("no question: bank bias + correction", "new", False, {}),
    ("prompt only", "new", True, {"REHEARSE_BIAS": "false", "REHEARSE_CORRECT": "false"}),
    ("prompt + bias", "new", True, {"REHEARSE_CORRECT": "false"}),
    ("bias only", "new", True, {"REHEARSE_PROMPT_STYLE": "none", "REHEARSE_CORRECT": "false"}),
]


ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def number_words(token):
    """whisper writes "15" for "fifteen": the words, for numbers below a hundred."""
    n = int(token)
    if n < 20:
        return [ONES[n]]
    return [TENS[n // 10]] + ([ONES[n % 10]] if n % 10 else []) if n < 100 else [token]


def normalise(text):
    text = text.lower().replace("-", " ")
    text = re.sub(r"(?<=\w)\.(?=\w)", "", text)  # e.c.s -> ecs
    text = re.sub(r"[^a-z0-9' ]", " ", text)
    words = [w.strip("'") for w in text.split() if w.strip("'")]
    return [out for w in words for out in (number_words(w) if w.isdigit() else [w])]


def edits(ref, hyp):
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[-1]


def speak(voice, text, said, out):
    spoken = text
    for term, how in said.items():
        spoken = re.sub(r"\b%s\b" % re.escape(term), how, spoken)
    raw = out.with_suffix(".raw.wav")
    if voice == "festival":
        subprocess.run(["text2wave", "-eval", "(voice_cmu_us_slt_arctic_hts)", "-o", str(raw)],
                       input=spoken.encode(), check=True, capture_output=True)
    else:
        subprocess.run(["espeak-ng", "-v", "en-us", "-s", "160", "-w", str(raw), spoken], check=True)
    subprocess.run(["sox", "-R", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(out)], check=True)


def transcribe(binary, wav, question, env):
    """The transcript, and the CPU seconds it took: on a machine others share, wall time says
    more about them than about us. One thread: two threads that wait for each other spin, and on
    a busy machine that burns far more than it saves."""
    args = [binary, "--threads", THREADS, "transcribe", str(wav), "--json"]
    if question:
        args += ["--question", question]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(args, check=True, capture_output=True, env=dict(os.environ, **env)).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return json.loads(out), cpu


def bank_terms():
    """Words of the bundled bank written like terms (acronyms, mixed tokens, inner capitals)."""
    text = "".join(p.read_text() for p in sorted(Path(REPO, "questions").glob("*.toml")))
    return {w.lower() for w in re.findall(r"\b(?:[A-Z][A-Za-z0-9]*[A-Z0-9][A-Za-z0-9]*|[A-Z][a-z]+)\b", text)
            if not w.istitle() or w in ("Fargate", "Docker", "Lambda", "Beanstalk", "Kubernetes")}


class Tally:
    def __init__(self):
        self.errors = self.words = self.terms = self.terms_heard = 0
        self.bank_terms = self.bank_terms_heard = self.inserted = self.corrections = 0
        self.seconds = self.audio_s = 0.0
        # (whisper's probability, whether the word was right) for every word heard
        self.word_p = []

    def add(self, ref, result, seconds, terms, in_bank):
        hyp = normalise(result["text"])
        ref_words = normalise(ref)
        timed = [(token, w["p"]) for s in result["segments"] for w in s["words"] for token in normalise(w["word"])]
        right = set()
        for block in difflib.SequenceMatcher(None, ref_words, [t for t, _ in timed], autojunk=False).get_matching_blocks():
            right.update(range(block.b, block.b + block.size))
        self.word_p += [(p, i in right) for i, (_, p) in enumerate(timed)]
        self.errors += edits(ref_words, hyp)
        self.words += len(ref_words)
        for term in terms:
            key = normalise(term)[0]
            said, heard = ref_words.count(key), min(hyp.count(key), ref_words.count(key))
            self.terms += said
            self.terms_heard += heard
            if key in in_bank:
                self.bank_terms += said
                self.bank_terms_heard += heard
        self.inserted += sum(1 for w in set(hyp) - set(ref_words) if w in in_bank)
        self.corrections += sum(1 for s in result["segments"] for w in s["words"] if "heard" in w)
        self.seconds += seconds
        self.audio_s += result["duration_s"]

    def row(self, label, terms=True):
        cells = [label, "%.1f%%" % (100.0 * self.errors / max(self.words, 1))]
        if terms:
            cells += ["%d/%d (%.0f%%)" % (self.terms_heard, self.terms, 100.0 * self.terms_heard / max(self.terms, 1)),
                      "%d/%d (%.0f%%)" % (self.bank_terms_heard, self.bank_terms,
                                          100.0 * self.bank_terms_heard / max(self.bank_terms, 1))]
        cells += [str(self.inserted), str(self.corrections), "%.3f" % (self.seconds / max(self.audio_s, 1e-9))]
        return "| " + " | ".join(cells) + " |"


def calibration(word_p):
    """For each level: how many words fall below it, and how many of those were wrong."""
    wrong_total = sum(not right for _, right in word_p)
    print("\nWord probability levels (answers, prompt + bias + correction, both voices): %d words, %d wrong\n"
          % (len(word_p), wrong_total))
    print("| level | words below | of them wrong | wrong words below |")
    print("| --- | --- | --- | --- |")
    for level in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6):
        below = [right for p, right in word_p if p < level]
        wrong = sum(not r for r in below)
        print("| %.1f | %d (%.1f%%) | %d (%.0f%%) | %.0f%% |" % (
            level, len(below), 100.0 * len(below) / max(len(word_p), 1), wrong,
            100.0 * wrong / max(len(below), 1), 100.0 * wrong / max(wrong_total, 1)))


def main(base, new, audio_dir):
    fixture = tomllib.loads(Path(REPO, "tests/fixtures/spoken-answers.toml").read_text())
    # BENCH_EARS_EVERY=N: every Nth on-topic answer and all off-topic ones, for a quicker run.
    every = int(os.environ.get("BENCH_EARS_EVERY", "1"))
    on_topic = [a for a in fixture["answer"] if not a.get("off_topic")]
    fixture["answer"] = on_topic[::every] + [a for a in fixture["answer"] if a.get("off_topic")]
    in_bank = bank_terms()
    binaries = {"base": base, "new": new}
    print("%d answers (%d off-topic) by %s; LibriVox: %d clips. Builds: today %s, this %s. "
          "WER and recall summed over all answers; CPU RTF = CPU seconds (model load included, %s thread) / audio seconds.\n"
          % (len(fixture["answer"]), sum(a.get("off_topic", False) for a in fixture["answer"]),
             " and ".join(VOICES), len(LIBRIVOX), base, new, THREADS))
    transcripts = {}
    for line in Path(audio_dir, "librivox-transcription.txt").read_text().splitlines():
        match = re.match(r"<s> (.*) </s> \(.*-(\d{4})\)", line)
        if match:
            transcripts[match.group(2)] = match.group(1)
    print("LibriVox (human speech, nothing about the bank):\n")
    print("| configuration | WER | bank terms put in | corrections | CPU RTF |")
    print("| --- | --- | --- | --- | --- |")
    for label, build, question, env in [
        ("today, no question", "base", None, {}),
        ("this, no question (bank bias + correction)", "new", None, {}),
        ("today, question what-is-ecs", "base", "what-is-ecs", {}),
        ("this, question what-is-ecs", "new", "what-is-ecs", {}),
    ]:
        tally = Tally()
        for clip in LIBRIVOX:
            result, seconds = transcribe(binaries[build], Path(audio_dir, "librivox-%s.wav" % clip), question, env)
            tally.add(transcripts[clip], result, seconds, [], in_bank)
        print(tally.row(label, terms=False))

    print()
    # Speech is made once and kept, named by what was said (synthesis is slow).
    cache = Path(bench_cache(), "ears-speech")
    cache.mkdir(parents=True, exist_ok=True)
    spoken = []
    for voice in VOICES:
        for answer in fixture["answer"]:
            digest = hashlib.sha256((voice + answer["text"] + repr(sorted(fixture["said"].items()))).encode())
            wav = Path(cache, "%s-%s.wav" % (voice, digest.hexdigest()[:16]))
            if not wav.exists():
                speak(voice, answer["text"], fixture["said"], wav)
            spoken.append((voice, answer, wav))
    say(SCRIPT, "spoke %d answers" % len(spoken))
    dump = open(os.environ["BENCH_EARS_DUMP"], "w") if os.environ.get("BENCH_EARS_DUMP") else None
    print("| configuration | WER | term recall | bank-term recall | bank terms put in | corrections | CPU RTF |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for label, build, with_question, env in CONFIGS:
        tallies = {voice: Tally() for voice in VOICES + ["both voices"]}
        for voice, answer, wav in spoken:
            result, seconds = transcribe(binaries[build], wav, answer["id"] if with_question else None, env)
            if dump:
                print(json.dumps({"config": label, "voice": voice, "id": answer["id"], "said": answer["text"],
                                  "heard": result["text"]}), file=dump, flush=True)
            for key in (voice, "both voices"):
                tallies[key].add(answer["text"], result, seconds, answer["terms"], in_bank)
        for voice, tally in tallies.items():
            print(tally.row("%s, %s" % (label, voice)))
        if label == "prompt + bias + correction":
            calibration(tallies["both voices"].word_p)
            print("\n| configuration | WER | term recall | bank-term recall | bank terms put in | corrections | CPU RTF |")
            print("| --- | --- | --- | --- | --- | --- | --- |")
        sys.stdout.flush()

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3])
