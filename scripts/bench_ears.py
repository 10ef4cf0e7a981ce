"""Helper of scripts/bench-ears: how well the ears hear the bank's jargon, side by side with an
build's own decode without them (bias and correction off), in one run. Speaks the answers of
tests/fixtures/spoken-answers.toml (the set the ears were tuned on), spoken-answers-unseen.toml
(written afterwards) and spoken-answers-fresh.toml (written by another hand after that) with
three synthetic voices (festival's US HTS voice, espeak-ng, and the interviewer's Piper voice
through `rehearse say --out`), transcribes each answer with and without its question, and the
LibriVox clips (human speech about nothing in the bank); prints word error rate and term recall
(on-topic and off-topic answers apart), terms put into the LibriVox speech, and the real-time
factor, as Markdown. Then scores each spoken answer with its question and the same answer typed,
to count how often a key point reported "not clearly heard" was in fact said."""

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
VOICES = [v for v in os.environ.get("BENCH_EARS_VOICES", "festival,espeak-ng,piper").split(",") if v]
# tuned: the set the ears were tuned on; unseen: written afterwards and only measured on, though
# some later rules were found on it; fresh: written by another hand after all of them, for a
# first look at each new rule. BENCH_EARS_SETS=unseen,fresh: those sets only.
SETS = [(name, file) for name, file in [("tuned", "spoken-answers.toml"),
                                        ("unseen", "spoken-answers-unseen.toml"),
                                        ("fresh", "spoken-answers-fresh.toml")]
        if name in os.environ.get("BENCH_EARS_SETS", "tuned,unseen,fresh").split(",")]
LIBRIVOX = ["0870", "0880", "0890", "0920", "0930"]
THREADS = os.environ.get("BENCH_THREADS", "1")

# (label, with the question?, environment). Without the ears is the build's own decode with the
# bias and the correction turned off: the decode of the build before them, in the same run.
NO_EARS = {"REHEARSE_BIAS": "false", "REHEARSE_CORRECT": "false"}
CONFIGS = [
    ("no ears, with the question", True, NO_EARS),
    ("ears, with the question", True, {}),
    ("no ears, no question", False, NO_EARS),
    ("ears, no question", False, {}),
]
# BENCH_EARS_ABLATIONS=1: the parts of the ears one by one, with the question.
ABLATIONS = [
    ("prompt + bias", True, {"REHEARSE_CORRECT": "false"}),
    ("bias only", True, {"REHEARSE_PROMPT_STYLE": "none", "REHEARSE_CORRECT": "false"}),
]


ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def number_words(token):
    """whisper writes "15" for "fifteen": the words, for numbers below a hundred."""
    n = int(token)
    if n < 20:
        return [ONES[n]]
    return [TENS[n // 10]] + ([ONES[n % 10]] if n % 10 else []) if n < 100 else [token]


def decimal_words(match):
    """ "99.99" -> "99 point nine nine": whisper writes figures that were said as words."""
    return "%s point %s" % (match.group(1), " ".join(ONES[int(d)] for d in match.group(2)))


def normalise(text):
    text = text.lower().replace("-", " ").replace("%", " percent")
    text = re.sub(r"\b(\d+)\.(\d+)\b", decimal_words, text)
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


def speak(voice, text, said, out, binary):
    spoken = text
    for term, how in said.items():
        spoken = re.sub(r"\b%s\b" % re.escape(term), how, spoken)
    raw = out.with_suffix(".raw.wav")
    if voice == "festival":
        subprocess.run(["text2wave", "-eval", "(voice_cmu_us_slt_arctic_hts)", "-o", str(raw)],
                       input=spoken.encode(), check=True, capture_output=True)
    elif voice == "piper":
        subprocess.run([binary, "say", "--out", str(raw), spoken], check=True, capture_output=True)
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
    print("\nWord probability levels (answers of both sets, ears with the question, all voices): %d words, %d wrong\n"
          % (len(word_p), wrong_total))
    print("| level | words below | of them wrong | wrong words below |")
    print("| --- | --- | --- | --- |")
    for level in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6):
        below = [right for p, right in word_p if p < level]
        wrong = sum(not r for r in below)
        print("| %.1f | %d (%.1f%%) | %d (%.0f%%) | %.0f%% |" % (
            level, len(below), 100.0 * len(below) / max(len(word_p), 1), wrong,
            100.0 * wrong / max(len(below), 1), 100.0 * wrong / max(wrong_total, 1)))


def load_sets():
    """The answer sets, each a list of answers with how the voices say the terms. BENCH_EARS_EVERY=N:
    every Nth on-topic answer and all off-topic ones, for a quicker run."""
    every = int(os.environ.get("BENCH_EARS_EVERY", "1"))
    sets = []
    for name, file in SETS:
        fixture = tomllib.loads(Path(REPO, "tests/fixtures", file).read_text())
        on_topic = [a for a in fixture["answer"] if not a.get("off_topic")]
        answers = on_topic[::every] + [a for a in fixture["answer"] if a.get("off_topic")]
        sets.append((name, answers, fixture["said"]))
    return sets


def librivox(binary, audio_dir, in_bank):
    transcripts = {}
    for line in Path(audio_dir, "librivox-transcription.txt").read_text().splitlines():
        match = re.match(r"<s> (.*) </s> \(.*-(\d{4})\)", line)
        if match:
            transcripts[match.group(2)] = match.group(1)
    print("LibriVox (human speech, nothing about the bank):\n")
    print("| configuration | WER | bank terms put in | corrections | CPU RTF |")
    print("| --- | --- | --- | --- | --- |")
    for label, question, env in [
        ("no ears, no question", None, NO_EARS),
        ("ears, no question (the bank's glossary)", None, {}),
        ("no ears, question what-is-ecs", "what-is-ecs", NO_EARS),
        ("ears, question what-is-ecs", "what-is-ecs", {}),
    ]:
        tally = Tally()
        for clip in LIBRIVOX:
            result, seconds = transcribe(binary, Path(audio_dir, "librivox-%s.wav" % clip), question, env)
            tally.add(transcripts[clip], result, seconds, [], in_bank)
        print(tally.row(label, terms=False))
    print()


def spoken_answers(sets, new):
    """Each answer of each set said by each voice, made once and kept, named by what was said
    (synthesis is slow)."""
    cache = Path(bench_cache(), "ears-speech")
    cache.mkdir(parents=True, exist_ok=True)
    spoken = []
    for name, answers, said in sets:
        for voice in VOICES:
            for answer in answers:
                digest = hashlib.sha256((voice + answer["text"] + repr(sorted(said.items()))).encode())
                wav = Path(cache, "%s-%s.wav" % (voice, digest.hexdigest()[:16]))
                if not wav.exists():
                    speak(voice, answer["text"], said, wav, new)
                spoken.append((name, voice, answer, wav))
    say(SCRIPT, "spoke %d answers" % len(spoken))
    return spoken


def answers_table(spoken, binary, in_bank, configs, dump):
    """WER and term recall per answer set, configuration, voice and topic."""
    header = ("| set | configuration | voice | topic | WER | term recall | bank-term recall | "
              "bank terms put in | corrections | CPU RTF |")
    print(header)
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    word_p = []
    for label, with_question, env in configs:
        tallies = {}
        for name, voice, answer, wav in spoken:
            result, seconds = transcribe(binary, wav, answer["id"] if with_question else None, env)
            if dump:
                print(json.dumps({"set": name, "config": label, "voice": voice, "id": answer["id"],
                                  "said": answer["text"], "heard": result["text"]}), file=dump, flush=True)
            topic = "off-topic" if answer.get("off_topic") else "on-topic"
            for key in ((name, voice, topic), (name, "all voices", topic)):
                tallies.setdefault(key, Tally()).add(answer["text"], result, seconds, answer["terms"], in_bank)
        for (name, voice, topic), tally in sorted(tallies.items()):
            print(tally.row("%s | %s | %s | %s" % (name, label, voice, topic)))
        if label == "ears, with the question":
            word_p = [wp for (_, voice, _), t in tallies.items() if voice == "all voices" for wp in t.word_p]
        sys.stdout.flush()
    return word_p


def score_json(binary, qid, answer_args):
    out = subprocess.run([binary, "--threads", THREADS, "score", qid, *answer_args, "--json"],
                         check=True, capture_output=True).stdout
    return json.loads(out)


def not_clearly_heard(spoken, new):
    """Each spoken answer scored with its question, against the same answer typed (what was in
    fact said): how often a point reported "not clearly heard" was said, and what became of the
    points said that the spoken answer did not make."""
    typed = {}
    counts = {}
    examples = []
    for name, voice, answer, wav in spoken:
        if answer.get("off_topic"):
            continue
        key = (name, answer["id"])
        if key not in typed:
            typed[key] = score_json(new, answer["id"], ["--text", answer["text"]])
        said = {p["point"]: p["status"] in ("hit", "partial") for p in typed[key]["key_points"]}
        heard = score_json(new, answer["id"], ["--wav", str(wav)])
        for point in heard["key_points"]:
            c = counts.setdefault(voice, {"unclear": 0, "unclear_said": 0, "said_not_made": 0,
                                          "said_not_made_unclear": 0, "points": 0})
            c["points"] += 1
            was_said = said.get(point["point"], False)
            if point["status"] == "unclear":
                c["unclear"] += 1
                c["unclear_said"] += was_said
                examples.append((voice, answer["id"], point["point"], point.get("heard"), was_said))
            if was_said and point["status"] not in ("hit", "partial"):
                c["said_not_made"] += 1
                c["said_not_made_unclear"] += point["status"] == "unclear"
    print("\nKey points not clearly heard (ears, with the question; on-topic answers of both sets, "
          "the typed answer's points are what was said):\n")
    print("| voice | key points | not clearly heard | of them said | said but not made by the spoken answer | of those, not clearly heard (not missed) |")
    print("| --- | --- | --- | --- | --- | --- |")
    total = {}
    for voice, c in sorted(counts.items()):
        for k, v in c.items():
            total[k] = total.get(k, 0) + v
        print("| %s | %d | %d | %d | %d | %d |" % (voice, c["points"], c["unclear"], c["unclear_said"],
                                                   c["said_not_made"], c["said_not_made_unclear"]))
    if total:
        print("| all | %d | %d | %d | %d | %d |" % (total["points"], total["unclear"], total["unclear_said"],
                                                   total["said_not_made"], total["said_not_made_unclear"]))
    for voice, qid, point, heard, was_said in examples:
        print("- %s, %s: \"%s\" heard as \"%s\" (%s)" % (voice, qid, point, heard, "said" if was_said else "not said"))


def main(new, audio_dir):
    parts = os.environ.get("BENCH_EARS_PARTS", "librivox,answers,unclear").split(",")
    sets = load_sets()
    in_bank = bank_terms()
    print("Answer sets: %s; voices: %s; LibriVox: %d clips. Build: %s. "
          "WER and recall summed over the answers of a row; CPU RTF = CPU seconds (model load included, %s thread) / audio seconds.\n"
          % (", ".join("%s %d answers (%d off-topic)" % (n, len(a), sum(x.get("off_topic", False) for x in a)) for n, a, _ in sets),
             ", ".join(VOICES), len(LIBRIVOX), new, THREADS))
    if "librivox" in parts:
        librivox(new, audio_dir, in_bank)
    spoken = spoken_answers(sets, new)
    if "answers" in parts:
        dump = open(os.environ["BENCH_EARS_DUMP"], "w") if os.environ.get("BENCH_EARS_DUMP") else None
        configs = CONFIGS + (ABLATIONS if os.environ.get("BENCH_EARS_ABLATIONS") else [])
        word_p = answers_table(spoken, new, in_bank, configs, dump)
        if word_p:
            calibration(word_p)
    if "unclear" in parts:
        not_clearly_heard(spoken, new)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
