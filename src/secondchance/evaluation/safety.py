"""Measure crisis and abuse detection on real public text.

Tables:

1. Crisis recall: r/SuicideWatch posts of SDCNL (test split: reported, never tuned on; train
   split: where the rules were developed and the distress layer fitted), the Columbia-scale
   graded posts by grade, and how often it fires on r/depression and r/BreakUps posts (people
   hurting: firing there is not wrong, but it is how often the app would show crisis lines
   first). Each row also says how much the phrase rules find alone and what the distress
   layer adds.
2. False alarms on everyday text: a fixed random sample of GoEmotions comments and all
   TweetEval tweets.
3. Abuse on Dreaddit, using the subreddit as a weak label (r/domesticviolence and
   r/survivorsofabuse positive, the rest negative).
4. The hand-labelled development set in ``tests/data/safety/``.
5. How often each rule fires, by corpus.
6. Speed: milliseconds per sentence and per 1,000-word post (of r/SuicideWatch posts, where the
   rules usually decide, and of r/BreakUps posts, where the distress layer usually runs too).

A missing file gives a note in its table instead of an error.
"""

from __future__ import annotations

import csv
import json
import random
import statistics
import sys
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from secondchance.analysis import safety
from secondchance.evaluation import Table

SDCNL = {"test": "sdcnl-test.csv", "train": "sdcnl-train.csv"}
CSSRS = "cssrs-reddit-500.csv"
CSSRS_GRADES = ("Supportive", "Indicator", "Ideation", "Behavior", "Attempt")
DREADDIT = {"train": "dreaddit-train.csv", "test": "dreaddit-test.csv"}
ABUSE_SUBREDDITS = frozenset({"domesticviolence", "survivorsofabuse"})
GOEMOTIONS = "goemotions-train.tsv"
TWEETS = "tweeteval-sentiment-test-text.txt"
BREAKUPS = "reddit-breakups.csv"
SAMPLE_SIZE = 5000
SAMPLE_SEED = 1
DEV_SET = Path("tests") / "data" / "safety" / "dev.jsonl"
# Plain-word sentences written and labelled by people who never saw the rules (see README):
# "tune" is where misses may be fixed from; "test" is only ever reported; "blind" was written
# after the last round of rules and measured before any rule saw it; "train" is every training
# file together (a to k: the rules and the learned layer were fitted on them, so optimistic).
_SAFETY_DATA = Path("tests") / "data" / "safety"
SENTENCE_SETS = {
    "tune": _SAFETY_DATA / "sentences_tune.jsonl",
    "test": _SAFETY_DATA / "sentences_test.jsonl",
    "blind": _SAFETY_DATA / "sentences_blind_l.jsonl",
    "train": _SAFETY_DATA / "sentences_train_{part}.jsonl",
}
# The training files' letters (tests/data/safety/train_learned.py fits on the same ones).
TRAIN_PARTS = "abcdefghijkmn"
TRAIN_MISSES = Path("tests") / "data" / "safety" / "sw_train_misses.tsv"

Texts = list[str]


def evaluate(data_dir: Path, dev_set: Path | None = None) -> list[Table]:
    """Return the six tables. Files missing from ``data_dir`` are skipped with a note."""
    corpora = _Corpora(Path(data_dir))
    return [
        crisis_table(corpora),
        false_alarm_table(corpora),
        abuse_table(corpora),
        sentence_set_table(),
        sentence_kind_table(),
        dev_set_table(dev_set if dev_set is not None else find_dev_set()),
        rule_table(corpora),
        speed_table(corpora),
    ]


class _Corpora:
    """Reads each file once and checks each text once; remembers what was missing."""

    def __init__(self, data_dir: Path) -> None:
        self.dir = data_dir
        self.missing: set[str] = set()
        self._texts: dict[str, object] = {}
        self._results: dict[str, list[safety.SafetyResult]] = {}

    def load(self, name: str, reader: Callable[[Path], object]) -> object | None:
        if name not in self._texts:
            path = self.dir / name
            if not path.exists():
                self.missing.add(name)
                return None
            self._texts[name] = reader(path)
        return self._texts[name]

    def results(self, key: str, texts: Texts) -> list[safety.SafetyResult]:
        if key not in self._results:
            self._results[key] = [safety.check(t) for t in texts]
        return self._results[key]

    def note(self, table: Table, *names: str) -> bool:
        """Add a note for each missing file; return True if all were found."""
        gone = [n for n in names if n in self.missing]
        table.notes += [f"skipped: {n} not found in {self.dir}" for n in gone]
        return not gone

    # Each corpus as (key, texts), or None when its file is missing.

    def sdcnl(self, split: str, suicide: bool) -> Texts | None:
        rows = self.load(SDCNL[split], _csv_rows)
        if rows is None:
            return None
        flag = "1" if suicide else "0"
        return [_post(r["title"], r["selftext"]) for r in rows if r["is_suicide"] == flag]

    def cssrs(self, grade: str) -> Texts | None:
        rows = self.load(CSSRS, _csv_rows)
        return None if rows is None else [r["Post"] for r in rows if r["Label"] == grade]

    def dreaddit(self, split: str) -> list[tuple[str, str]] | None:
        rows = self.load(DREADDIT[split], _csv_rows)
        return None if rows is None else [(r["text"], r["subreddit"]) for r in rows]

    def goemotions(self) -> Texts | None:
        rows = self.load(GOEMOTIONS, _tsv_first_column)
        if rows is None:
            return None
        return random.Random(SAMPLE_SEED).sample(rows, min(SAMPLE_SIZE, len(rows)))

    def tweets(self) -> Texts | None:
        return self.load(TWEETS, _lines)

    def breakups(self) -> Texts | None:
        rows = self.load(BREAKUPS, _csv_rows)
        return None if rows is None else [_post(r["title"], r["body"]) for r in rows]


def held_out_breakup(index: int) -> bool:
    """Return True for the half of r/BreakUps posts (by row) the distress layer was not fitted on.

    The other half was a negative class when fitting (tests/data/safety/fit_distress.py).
    """
    return zlib.crc32(f"breakups-{index}".encode()) % 2 == 0


def crisis_table(corpora: _Corpora) -> Table:
    columns = ["texts", "n", "crisis", "rate", "crisis or concern", "rules alone", "others add"]
    table = Table("Crisis: how often it fires", columns)
    specs: list[tuple[str, str, Texts | None]] = [
        ("sdcnl-test r/SuicideWatch (recall; never tuned on)", "sw-test", _sd(corpora, "test", 1)),
        ("sdcnl-train r/SuicideWatch (recall; developed on)", "sw-train", _sd(corpora, "train", 1)),
        ("sdcnl-test r/depression", "dep-test", _sd(corpora, "test", 0)),
        ("sdcnl-train r/depression", "dep-train", _sd(corpora, "train", 0)),
    ]
    specs += [(f"cssrs {g}", f"cssrs-{g}", corpora.cssrs(g)) for g in CSSRS_GRADES]
    breakups = corpora.breakups()
    specs.append(("r/BreakUps posts (the app's own kind of story)", "breakups", breakups))
    if breakups is not None:
        half = [t for n, t in enumerate(breakups) if held_out_breakup(n)]
        specs.append(("r/BreakUps, the half never fitted on", "breakups-held", half))
    for label, key, texts in specs:
        if texts is not None:
            results = corpora.results(key, texts)
            fired = sum(r.crisis for r in results)
            either = sum(r.crisis or r.concern for r in results)
            rules = sum(_by_rules(r) for r in results)
            n = len(texts)
            table.rows.append(
                [
                    label,
                    n,
                    fired,
                    _rate(fired, n),
                    _rate(either, n),
                    _rate(rules, n),
                    _rate(fired - rules, n),
                ]
            )
    corpora.note(table, *SDCNL.values(), CSSRS, BREAKUPS)
    table.notes += [
        "'crisis' puts help first; 'crisis or concern' adds heavy distress with no clear sign "
        "of risk (help beside the advice). 'rules alone': crisis from the phrase rules of "
        "safety.toml; 'others add': crisis only the distress phrases or the learned layer "
        "(analysis/data/learned.json, fitted by tests/data/safety/train_learned.py) found.",
        "The learned layer never saw sdcnl-test, the held-out half of r/BreakUps, TweetEval, "
        "the GoEmotions sample below or the test sentences.",
        "Still missed: short posts (under 25 words) without a plain phrase, posts about a "
        "friend's crisis, and long posts that read like grief or stress.",
    ]
    table.notes += _train_misses_note(corpora)
    return table


def _train_misses_note(corpora: _Corpora) -> list[str]:
    """Return a note on how much of the sdcnl-train recall gap has no sign in its words.

    The misses were read by hand (``tests/data/safety/sw_train_misses.tsv``). A miss that is
    not in that file (the rules changed since) is counted as unread, not guessed.
    """
    labels = _read_misses(_find(TRAIN_MISSES))
    rows = corpora.load(SDCNL["train"], _csv_rows)
    if not labels or rows is None:
        return []
    sw = [r for r in rows if r["is_suicide"] == "1"]
    texts = [_post(r["title"], r["selftext"]) for r in sw]
    results = corpora.results("sw-train", texts)
    missed = [r.get("", "") for r, res in zip(sw, results, strict=True) if not res.crisis]
    kinds = Counter(labels.get(row, "unread") for row in missed)
    no_sign = kinds["other"] + kinds["low"]
    with_sign = len(sw) - no_sign
    return [
        f"sdcnl-train misses read by hand: {len(missed)}; {kinds['other']} are about someone "
        f"else, support or recovery, {kinds['low']} show distress with no sign of risk in "
        f"their words, {kinds['sign']} show a sign the rules miss ({kinds['unread']} unread). "
        f"So at most {_rate(with_sign, len(sw))} of these posts can be found from their words; "
        f"of those, {_rate(len(sw) - len(missed), with_sign)} are found.",
    ]


def _read_misses(path: Path | None) -> dict[str, str]:
    """Return row -> label from the hand-read misses file, or {} when it is absent."""
    if path is None:
        return {}
    lines = path.read_text(encoding="utf-8").splitlines()
    fields = [line.split("\t") for line in lines if line and not line.startswith("#")]
    return {f[0]: f[1] for f in fields[1:] if len(f) >= 2}


def _by_rules(result: safety.SafetyResult) -> bool:
    """Return True when the phrase rules alone make the crisis (not the distress layer)."""
    return any(
        e.about.startswith("crisis.") and e.about != "crisis.distress" for e in result.evidence
    )


def false_alarm_table(corpora: _Corpora) -> Table:
    columns = ["texts", "n", "crisis", "crisis or concern", "abuse"]
    table = Table("False alarms on everyday text", columns)
    specs = [
        (f"GoEmotions comments (random {SAMPLE_SIZE}, seed {SAMPLE_SEED})", "goemotions"),
        ("TweetEval tweets (all)", "tweets"),
    ]
    for (label, key), texts in zip(specs, (corpora.goemotions(), corpora.tweets()), strict=True):
        if texts is not None:
            results = corpora.results(key, texts)
            n = len(texts)
            crisis = _rate(sum(r.crisis for r in results), n)
            either = _rate(sum(r.crisis or r.concern for r in results), n)
            abuse = _rate(sum(r.abuse for r in results), n)
            table.rows.append([label, n, crisis, either, abuse])
    corpora.note(table, GOEMOTIONS, TWEETS)
    table.notes.append("Some of these are real: a few comments do say 'I just want to die'.")
    return table


def abuse_table(corpora: _Corpora) -> Table:
    columns = ["split", "n", "precision", "recall", "f1", "fired on other subreddits"]
    table = Table("Abuse on Dreaddit (subreddit as a weak label)", columns)
    for split in DREADDIT:
        rows = corpora.dreaddit(split)
        if rows is None:
            continue
        results = corpora.results(f"dreaddit-{split}", [t for t, _ in rows])
        truth = [sub in ABUSE_SUBREDDITS for _, sub in rows]
        said = [r.abuse for r in results]
        precision, recall, f1 = _prf(truth, said)
        others = Counter(
            sub for (_, sub), s in zip(rows, said, strict=True) if s and sub not in ABUSE_SUBREDDITS
        )
        table.rows.append([split, len(rows), precision, recall, f1, dict(others.most_common())])
    corpora.note(table, *DREADDIT.values())
    table.notes += [
        "Dreaddit texts are ~80-word slices of posts: many slices of an abuse story hold no abuse "
        "words, and r/ptsd holds many partner-abuse stories, so both figures understate.",
        "Abuse by parents or strangers is not flagged by design (the flag changes breakup "
        "advice), which lowers recall on r/survivorsofabuse.",
    ]
    return table


def load_sentences(split: str) -> list[dict[str, str]]:
    """Return the sentences of ``split`` (a key of ``SENTENCE_SETS``), or [] if absent."""
    pattern = str(SENTENCE_SETS[split])
    files = (
        [pattern.format(part=part) for part in TRAIN_PARTS] if "{part}" in pattern else [pattern]
    )
    items: list[dict[str, str]] = []
    for name in files:
        path = _find(Path(name))
        if path is not None:
            lines = path.read_text(encoding="utf-8").splitlines()
            items += [json.loads(line) for line in lines if line]
    return items


def said(result: safety.SafetyResult, label: str) -> bool:
    """Return whether ``result`` says ``label``: crisis counts crisis or concern."""
    if label == "crisis":
        return result.crisis or result.concern
    if label == "abuse":
        return result.abuse
    return result.crisis or result.concern or result.abuse


def sentence_set_table() -> Table:
    columns = ["split", "crisis found", "crisis (help first)", "abuse found", "false alarms"]
    table = Table("Plain-word sentences (tests/data/safety/sentences_*.jsonl)", columns)
    for split in SENTENCE_SETS:
        items = load_sentences(split)
        if not items:
            table.notes.append(f"skipped: {SENTENCE_SETS[split]} not found")
            continue
        results = [safety.check(i["text"]) for i in items]
        pairs = list(zip(items, results, strict=True))
        crisis = [r for i, r in pairs if i["label"] == "crisis"]
        abuse = [r for i, r in pairs if i["label"] == "abuse"]
        none = [r for i, r in pairs if i["label"] == "none"]
        table.rows.append(
            [
                split,
                _count(sum(said(r, "crisis") for r in crisis), len(crisis)),
                _count(sum(r.crisis for r in crisis), len(crisis)),
                _count(sum(r.abuse for r in abuse), len(abuse)),
                _count(sum(said(r, "none") for r in none), len(none)),
            ]
        )
    table.notes += [
        "Written in plain words and labelled by helpers who never saw the rules, each set by a "
        "different one. Misses are fixed only from 'tune' and the training files; 'test' is "
        "only reported; 'blind' (sentences_blind_l) was written after the last round of rules "
        "and not yet tuned on; 'train' is the training files a to k together (optimistic).",
        "'crisis found' is crisis or concern; a false alarm is any flag on a hard negative "
        "(quotes, other people, idioms, negation, self-admission, ordinary conflict, a past "
        "that is over, sadness, everyday talk).",
    ]
    return table


def sentence_kind_table() -> Table:
    table = Table("Plain-word sentences by kind (found / n)", ["label", "kind", "tune", "test"])
    cells: dict[tuple[str, str], dict[str, str]] = {}
    for split in ("tune", "test"):
        groups: dict[tuple[str, str], list[bool]] = {}
        for item in load_sentences(split):
            hit = said(safety.check(item["text"]), item["label"])
            groups.setdefault((item["label"], item["kind"]), []).append(hit)
        for key, hits in groups.items():
            cells.setdefault(key, {})[split] = f"{sum(hits)}/{len(hits)}"
    for (label, kind), by_split in sorted(cells.items()):
        table.rows.append([label, kind, by_split.get("tune", "-"), by_split.get("test", "-")])
    table.notes.append("For 'none' the count is of false alarms.")
    return table


def _count(part: int, whole: int) -> str:
    return f"{part}/{whole} ({part / whole:.2f})" if whole else "0/0"


def dev_set_table(path: Path | None) -> Table:
    columns = ["flag", "split", "positives", "recall", "negatives", "false alarms"]
    table = Table("Hand-labelled development set (tests/data/safety)", columns)
    if path is None or not path.exists():
        table.notes.append(f"skipped: no labelled set found (looked for {DEV_SET})")
        return table
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    results = {i["id"]: safety.check(i["text"]) for i in items}
    for flag in ("crisis", "abuse"):
        for split in ("dev", "test"):
            part = [i for i in items if i["split"] == split]
            pos = [i for i in part if flag in i["labels"]]
            neg = [i for i in part if flag not in i["labels"]]
            found = sum(getattr(results[i["id"]], flag) for i in pos)
            false = sum(getattr(results[i["id"]], flag) for i in neg)
            table.rows.append(
                [flag, split, len(pos), _rate(found, len(pos)), len(neg), _rate(false, len(neg))]
            )
    table.notes.append("The whole set was read while fixing rules: 'test' is not a clean hold-out.")
    return table


def rule_table(corpora: _Corpora) -> Table:
    keys = ["sw-test", "dep-test", "goemotions", "tweets", "dreaddit-test", "breakups"]
    table = Table("Texts where each rule gave evidence", ["rule", *keys])
    counts = {k: _rule_counts(corpora._results.get(k, [])) for k in keys}
    rules = sorted(set().union(*counts.values()))
    table.rows = [[rule, *(counts[k].get(rule, 0) for k in keys)] for rule in rules]
    table.notes.append("Counts texts, not matches; only evidence of flags that were set.")
    return table


def speed_table(corpora: _Corpora) -> Table:
    table = Table("Speed of safety.check", ["input", "n", "median ms", "p95 ms"])
    sentences = corpora.goemotions()
    if sentences is not None:
        table.rows.append(["sentence (GoEmotions comment)", *_timings(sentences)])
    posts = corpora.sdcnl("train", suicide=True)
    if posts is not None:
        table.rows.append(
            ["1,000-word post (SDCNL posts joined)", *_timings(_thousand_words(posts))]
        )
    stories = corpora.breakups()
    if stories is not None:
        table.rows.append(
            ["1,000-word post (r/BreakUps posts joined)", *_timings(_thousand_words(stories))]
        )
    corpora.note(table, GOEMOTIONS, SDCNL["train"], BREAKUPS)
    table.notes.append(
        "Wall-clock time: on a busy machine it runs high. Where the rules already find a "
        "crisis (most SuicideWatch text) the distress layer is skipped; on r/BreakUps text "
        "it runs."
    )
    return table


def _sd(corpora: _Corpora, split: str, flag: int) -> Texts | None:
    return corpora.sdcnl(split, suicide=bool(flag))


def _rule_counts(results: Iterable[safety.SafetyResult]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for r in results:
        counts.update({e.about for e in r.evidence})
    return counts


def _timings(texts: Texts) -> list[object]:
    safety.check("warm up")  # the first call loads the lexicon; time the steady state
    times = []
    for text in texts:
        started = time.perf_counter()
        safety.check(text)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return [
        len(times),
        round(statistics.median(times), 3),
        round(times[int(0.95 * (len(times) - 1))], 3),
    ]


def _thousand_words(posts: Texts, count: int = 200) -> Texts:
    words = " ".join(posts).split(" ")
    return [" ".join(words[i : i + 1000]) for i in range(0, min(len(words), count * 1000), 1000)]


def _prf(truth: list[bool], said: list[bool]) -> tuple[float, float, float]:
    tp = sum(t and s for t, s in zip(truth, said, strict=True))
    precision = tp / max(1, sum(said))
    recall = tp / max(1, sum(truth))
    f1 = 2 * precision * recall / max(1e-9, precision + recall)
    return round(precision, 3), round(recall, 3), round(f1, 3)


def _rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def _post(title: str | None, body: str | None) -> str:
    body = "" if body in (None, "emptypost") else body
    return f"{title or ''}\n{body}"


def _csv_rows(path: Path) -> list[dict[str, str]]:
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _tsv_first_column(path: Path) -> Texts:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t")
        next(reader, None)
        return [row[0] for row in reader if row]


def _lines(path: Path) -> Texts:
    return [line for line in path.read_text(encoding="utf-8").split("\n") if line]


def find_dev_set() -> Path | None:
    """Return the labelled set in this checkout (or under the current directory), if any."""
    return _find(DEV_SET)


def _find(relative: Path) -> Path | None:
    """Return ``relative`` in this checkout, or under the current directory, if it exists."""
    here = Path(__file__).resolve()
    for candidate in (here.parents[3] / relative, Path.cwd() / relative):
        if candidate.exists():
            return candidate
    return None


def format_table(table: Table) -> str:
    """Return the table as aligned plain text."""
    cells = [table.columns, *[[str(c) for c in row] for row in table.rows]]
    widths = [max(len(str(r[i])) for r in cells) for i in range(len(table.columns))]
    lines = [table.title]
    lines += [
        "  " + "  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) for r in cells
    ]
    lines += [f"  note: {n}" for n in table.notes]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    data = Path(argv[1]) if len(argv) > 1 else Path("../shared/data")
    for table in evaluate(data):
        print(format_table(table), end="\n\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
