"""Crisis and abuse signals in what a person writes: safety comes before any coaching.

``check(text)`` reads a whole text (a story, a journal entry, a draft) and says whether it shows

- **crisis**: the writer's own thoughts of suicide or of wanting to die, self-harm, feeling a
  burden, a plan or an attempt, now or in the past;
- **abuse**: harm done to the writer by the partner or ex: violence, threats, gaslighting,
  isolation, stalking, coercive control, or abuse named as such.

Every positive answer carries its evidence: the rule id and the exact span that triggered it.

How a phrase is judged (the phrases themselves live in ``data/safety.toml``):

1. One combined regular expression finds where candidate phrases start, in a single pass
   over a lowercased copy of the text; every rule is then tried at that spot, so overlapping
   phrases are all judged.
2. The clause before each phrase (back to the sentence start or a "but") is read for its
   nearest subject: "he wants to die" is his, not the writer's; "my dad hit me" is not the
   partner; "I admit I was controlling" is the writer, not the ex.
3. Negation between that subject and the phrase cancels it ("he never hit me"). For crisis
   phrases only a denial in the past ("I was never suicidal") cancels; a present one ("I'm not
   suicidal", "I don't want to die") stays as a weak signal, ``crisis.mentioned``, because
   people who are hurting often say it just before saying how bad things are.
4. Laughter or a figure of speech in the same sentence ("I could die of embarrassment lol")
   makes hyperbole-prone crisis phrases not count.
5. Strong phrases are enough alone. Weak ones (hopelessness, self-hatred, a denied mention)
   need a second, different weak phrase in the same text.

Third-person crisis (a brother's suicide) is not the writer's crisis and is not flagged.
Abuse by parents, friends or strangers is not flagged as ``abuse`` either, because that flag
changes the breakup advice; see the comments in the data file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from secondchance.analysis import dispatch, distress, learned
from secondchance.analysis import text as text_module
from secondchance.analysis.evidence import Evidence
from secondchance.analysis.lexicon import load
from secondchance.analysis.text import Views
from secondchance.analysis.text import views as text_views

__all__ = ["SafetyResult", "check"]

# Matching runs on the folded copy of ``text.fold`` (straight quotes, lowercase ASCII), where
# spans are spans of the original; clause and sentence breaks are the shared ones.
_CLAUSE_BREAK = text_module.CLAUSE_BREAK
_SENTENCE_BREAK = text_module.SENTENCE_BREAK
_TOKEN = re.compile(r"[\w']+")
_DIGIT = re.compile(r"\d")
_UPPER = re.compile(r"(?<!\\)[A-Z]")
# How far to look around a phrase, in characters. A clause rarely runs longer.
_LOOK_BACK = 100
_SENTENCE_REACH = 200
# The nearest subject and any negation are looked for among this many words before a phrase.
_WINDOW_WORDS = 10
# Laughter just after a sentence ends ("I want to die. lol") still belongs to it.
_JOKE_TAIL = 16  # ". Not literally"
# How far after the phrase's sentence a taking-back ("...no but seriously") still counts.
_EARNEST_TAIL = 60
# The evidence id of the distress layer (see distress.py).
_DISTRESS = "crisis.distress"
# The distress layer reads at most this many characters (about 9,000 words: far more than
# any check-in, letter or story), so that a pasted megabyte cannot keep it busy for seconds.
# The phrase rules read everything.
_DISTRESS_REACH = 50_000


@dataclass(frozen=True, slots=True)
class SafetyResult:
    """What ``check`` found. ``evidence`` only supports flags that are set, ordered by start."""

    crisis: bool
    abuse: bool
    evidence: tuple[Evidence, ...] = ()
    # Heavy distress with no clear sign of risk: the advice goes on, with help beside it.
    # Never set together with ``crisis`` (crisis is the higher level).
    concern: bool = False

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON-ready data: ``{"crisis", "concern", "abuse", "evidence": [...]}``."""
        return {
            "crisis": self.crisis,
            "concern": self.concern,
            "abuse": self.abuse,
            "evidence": [e.to_dict() for e in self.evidence],
        }


@dataclass(frozen=True, slots=True)
class _Rule:
    about: str
    weight: str  # "strong" | "weak"
    who: str  # "self" | "writer" | "partner" | "partner_named" | "victim"
    negation: str  # "check" | "none"
    jokes: bool
    conditional: bool  # "if he ever hit me" is a worry, not an event
    pattern: _OnFirstUse
    family: str = ""  # distress rules only: the feature family the phrase counts towards

    @property
    def crisis(self) -> bool:
        return self.about.startswith("crisis.")


class _OnFirstUse:
    """A rule's own pattern, compiled the first time it is tried. It is tried only where the
    combined phrases found a candidate, which most texts never have: compiling all of them up
    front was a good part of a process's first check (a note from the command line)."""

    __slots__ = ("_compiled", "source")

    def __init__(self, source: str) -> None:
        self.source = source
        self._compiled: re.Pattern[str] | None = None

    def match(self, text: str, pos: int) -> re.Match[str] | None:
        return (self._compiled or self.compile()).match(text, pos)

    def compile(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.source)
        return self._compiled


def compile_all() -> None:
    """Compile what the lexicons compile on first need (their phrase buckets and each rule's
    own pattern) now: ``analysis.warm_up``, so a server pays for none of it on a request."""
    for lexicon in (_lexicon(), _distress_lexicon()):
        lexicon.combined.compile_all()
        for rule in lexicon.order:
            rule.pattern.compile()


@dataclass(frozen=True, slots=True)
class _Lexicon:
    combined: dispatch.Phrases
    rules: dict[str, _Rule]  # by name in ``combined``
    order: tuple[_Rule, ...]
    classes: dict[str, str]  # token -> "writer" | "writer_object" | "addressee" | ...
    verb_like: frozenset[str]
    pronouns: frozenset[str]
    negators: frozenset[str]
    past: frozenset[str]
    pseudo: re.Pattern[str]
    affirming_tail: re.Pattern[str]
    jokes: re.Pattern[str]
    emoji: tuple[str, ...]
    earnest: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class _Hit:
    rule: _Rule
    about: str
    weight: str
    start: int
    end: int


def check(text: str) -> SafetyResult:
    """Return crisis, concern and abuse flags for ``text``, each with the spans that support it.

    Pure and thread-safe; the lexicon and the learned models are read once per process. Empty
    or whitespace-only text gives an all-clear result. Raises ``TypeError`` if ``text`` is not
    a ``str``.

    The passes: ``text.views`` blanks words that are not the writer's (quotes and reported
    speech of others, sentences about other people, a past that is over); the phrase rules and
    the learned models read those views; then the levels are judged. ``crisis`` comes from a
    strong rule, the distress layer's strong phrases or the learned crisis model; ``concern``
    (only when there is no crisis) from weak rules alone, the distress score or the learned
    concern model; ``abuse`` from the abuse rules or the learned abuse model. A strength never
    cancels a problem: no signal lowers another.
    """
    if not isinstance(text, str):
        raise TypeError(f"safety.check expects str, not {type(text).__name__}")
    if not text.strip():
        return SafetyResult(crisis=False, abuse=False)
    lex = _lexicon()
    views = text_views(text)
    # One pass of the rules over the whole text (their own clause checks read the context);
    # a hit counts only where its view keeps the words: the writer's own, for crisis.
    hits = _scan(lex, views.folded)
    crisis_scan = [h for h in hits if h.rule.crisis and _kept(views.crisis, views.folded, h)]
    abuse_scan = [h for h in hits if not h.rule.crisis and _kept(views.abuse, views.folded, h)]
    crisis_hits = _decide(crisis_scan, views.crisis)
    abuse_hits = _decide(abuse_scan, views.abuse)
    concern_hits: list[_Hit] = []
    learned_found = _learned(text, views)
    distress_level, distress_hits = _distress(views.crisis) if not crisis_hits else ("", [])
    if not crisis_hits:
        crisis_hits = (distress_hits if distress_level == "crisis" else []) or learned_found.get(
            "crisis", []
        )
    if not crisis_hits:
        concern_hits = distress_hits or learned_found.get("concern", [])
    if not abuse_hits:
        abuse_hits = learned_found.get("abuse", [])
    chosen = sorted(
        crisis_hits + concern_hits + abuse_hits, key=lambda h: (h.start, h.end, h.about)
    )
    evidence = tuple(Evidence.from_match(h.about, text, h.start, h.end) for h in chosen)
    return SafetyResult(
        crisis=bool(crisis_hits),
        abuse=bool(abuse_hits),
        evidence=evidence,
        concern=bool(concern_hits) and not crisis_hits,
    )


def _kept(view: str, folded: str, hit: _Hit) -> bool:
    """Return True when no word of the hit was blanked out of ``view``."""
    return view[hit.start : hit.end] == folded[hit.start : hit.end]


def _learned(text: str, views: Views) -> dict[str, list[_Hit]]:
    """Return the learned models' findings as hits: {"crisis"|"concern"|"abuse": [hit]}."""
    found: dict[str, list[_Hit]] = {}
    words = len(text.split())
    crisis_view = views.crisis[:_DISTRESS_REACH]
    abuse_view = views.abuse[:_DISTRESS_REACH]
    crisis_page = learned.Page(crisis_view, learned.pieces(crisis_view, views.sentences), words)
    # Most texts blank nothing for either view: the same words are then read once for both.
    if abuse_view == crisis_view:
        abuse_page = crisis_page
    else:
        abuse_page = learned.Page(abuse_view, learned.pieces(abuse_view, views.sentences), words)
    pages = {"crisis": crisis_page, "abuse": abuse_page}
    rule = _distress_lexicon().order[0]
    for name, model in learned.models().items():
        page = pages["abuse" if name == "abuse" else "crisis"]
        view = page.view
        finding = learned.find(model, page)
        if finding is None:
            continue
        if finding.by == "sentence" and not _counts_alone(name, view, finding):
            continue
        # One sentence read by a word model is not enough to put help before everything
        # else: alone it is a concern; the whole text read as a crisis is a crisis.
        level = "concern" if name == "crisis" and finding.by == "sentence" else name
        hit = _Hit(rule, f"{level}.learned", "strong", finding.start, finding.end)
        found.setdefault(level, []).append(hit)
    return found


# A sentence the abuse model reads alone must name someone who acts, and not as a worry
# ("if he ever hit me I'd leave").
_ACTOR = re.compile(
    r"\b(?:he|she|they|he's|she's|they're|hes|shes|him|her|them|you|ex|boyfriend|girlfriend|"
    r"bf|gf|husband|wife|partner|fianc[eé]e?)\b"
)
_WORRY = re.compile(r"\b(?:if|whether|in case)\b")
# ...unless the condition is the writer's own act and the partner's answer follows: that is
# a threat ("if i leave he'll make sure i never see the kids"), not a worry.
_THREAT_SHAPE = re.compile(
    r"\b(?:if|unless)\s+(?:i|we)\b.{0,80}?\b(?:he|she|they)\s*(?:'ll|'d|will|would|is going to|"
    r"was going to|'s going to)\b"
    r"|\b(?:he|she|they)\s*(?:'ll|'d|will|would|is going to|'s going to)\b.{0,80}?"
    r"\b(?:if|unless)\s+(?:i|we)\b"
)


def _counts_alone(name: str, view: str, finding: learned.Finding) -> bool:
    """Return whether one sentence the word model liked is enough on its own.

    For abuse the sentence must name an actor and not be a worry. For crisis and concern,
    not when the sentence laughs or jokes ("I want to die lol").
    """
    sentence = view[finding.start : finding.end]
    if name == "abuse":
        worry = _WORRY.search(sentence) and not _THREAT_SHAPE.search(sentence)
        return bool(_ACTOR.search(sentence)) and not worry
    if _ENDING_US.search(sentence):
        return False
    return not _is_joke(_lexicon(), view, finding.start, finding.end)


# "I can't do this anymore with him, I'm ending it": the relationship is what is ending, which a
# word model alone cannot tell from the writer's life (the rules still read the sentence).
_ENDING_US = re.compile(
    r"\b(?:(?:with|to) (?:him|her|them|my (?:ex|boyfriend|girlfriend|bf|gf|husband|wife|partner))"
    r"\b.{0,60}\b(?:ending|end|ended|finish|finishing) (?:it|things)\b|(?:ending|end|ended|finish|"
    r"finishing) (?:it|things) with (?:him|her|them|my)\b|on and off)"
)


# The distress score (no strong phrase) puts help first only from this score up; between the
# layer's own threshold and this, it is a concern (help beside the advice). Chosen on
# sdcnl-train and the fitting half of r/BreakUps: at 0.7, r/SuicideWatch posts keep help first
# in 0.842 (0.860 with every score) while heartbroken r/BreakUps posts get it in 6.3% (9.3%).
_DISTRESS_HELP_FIRST = 0.7


def _distress(text: str) -> tuple[str, list[_Hit]]:
    """Return ("crisis" | "concern" | "", hits): what the distress layer reads that the phrase
    rules missed. A strong distress phrase or a high score is a crisis; a score over the
    layer's threshold but under ``_DISTRESS_HELP_FIRST`` is a concern.

    Its evidence is about ``crisis.distress``: the strongest phrases it weighed.
    """
    head = text[:_DISTRESS_REACH]  # a prefix: its spans are spans of the text
    verdict = distress.assess(head, distress_signals(head))
    if not verdict.fired:
        return "", []
    lex = _distress_lexicon()
    rule = lex.order[0]
    sure = verdict.score is None or verdict.score >= _DISTRESS_HELP_FIRST
    about = _DISTRESS if sure else "concern.distress"
    hits = [_Hit(rule, about, "strong", s.start, s.end) for s in verdict.evidence]
    return ("crisis" if sure else "concern"), hits


def distress_signals(text: str) -> list[distress.Signal]:
    """Return the distress phrases of ``text`` (already folded: see ``text.fold``) as signals.

    Each phrase is judged like a crisis phrase (whose words, negation, figures of speech);
    one that context cancels or turns into a denial does not count. Not part of the API: for
    the distress layer and its fitting script.
    """
    return [
        distress.Signal(h.rule.family, h.start, h.end, strong=h.rule.weight == "strong")
        for h in _scan(_distress_lexicon(), text)
        if h.about == _DISTRESS
    ]


def _decide(hits: list[_Hit], text: str) -> list[_Hit]:
    """Return the hits that make the flag true, or [] when it stays false.

    One strong hit is enough; otherwise two weak hits with different wording are needed
    ("I hate myself" said three times is still one signal), one of them not a denial.
    """
    if any(h.weight == "strong" for h in hits):
        return hits
    distinct = {" ".join(text[h.start : h.end].lower().split()) for h in hits}
    # Denials ("I'm not suicidal, I don't self-harm") add weight to a real sign but never
    # make one on their own, however many there are.
    real = [h for h in hits if h.about != "crisis.mentioned"]
    return hits if len(distinct) >= 2 and real else []


def _scan(lex: _Lexicon, text: str) -> list[_Hit]:
    """Return the judged hits for every candidate phrase, left to right.

    The combined pattern finds where a candidate starts; every rule then gets its chance at
    that position, so a phrase judged away, or a short one ("suicide"), never hides another
    that starts there too ("suicide note"). Searching resumes one character later, so
    overlapping phrases are all seen; a hit inside a longer one of the same kind is dropped.
    """
    hits: list[_Hit] = []
    pos = 0
    while (found := lex.combined.search(text, pos)) is not None:
        start, end, name = found
        first = lex.rules[name]
        hits += _at(lex, first, text, start, end)
        for rule in lex.order:
            if rule is not first and (other := rule.pattern.match(text, start)) is not None:
                hits += _at(lex, rule, text, start, other.end())
        pos = start + 1
    return _outermost(hits)


def _at(lex: _Lexicon, rule: _Rule, text: str, start: int, end: int) -> list[_Hit]:
    hit = _judge(lex, rule, text, start, end)
    return [] if hit is None else [hit]


def _outermost(hits: list[_Hit]) -> list[_Hit]:
    """Drop hits that sit inside a longer hit with the same ``about`` (and exact repeats)."""
    kept: list[_Hit] = []
    for hit in sorted(hits, key=lambda h: (h.start, -h.end)):
        inside = any(
            k.about == hit.about
            and k.rule.family == hit.rule.family
            and k.start <= hit.start
            and hit.end <= k.end
            for k in kept[-8:]
        )
        if not inside:
            kept.append(hit)
    return kept


def _judge(lex: _Lexicon, rule: _Rule, text: str, start: int, end: int) -> _Hit | None:
    """Return the hit as it counts (maybe weakened), or None if context cancels it."""
    tokens = _clause_tokens(lex, text, start)
    subject_at, subject = _nearest_subject(lex, tokens, crisis=rule.crisis)
    if not _subject_fits(rule.who, subject, tokens):
        return None
    if rule.conditional and subject_at > 0 and tokens[subject_at - 1] in {"if", "whether"}:
        return None
    if rule.jokes and _is_joke(lex, text, start, end):
        return None
    hit = _Hit(rule, rule.about, rule.weight, start, end)
    if rule.negation == "check":
        after_subject = tokens[_negation_scope(lex, tokens, subject_at) :]
        negators = [t for t in after_subject if t in lex.negators]
        if negators and not lex.affirming_tail.match(text, end):
            return _negated(lex, hit, after_subject)
    return hit


def _negation_scope(lex: _Lexicon, tokens: list[str], subject_at: int) -> int:
    """Return where negation may start: after the subject, or just before an object "me".

    "I couldn't imagine myself being suicidal" negates through "myself", which is not the
    subject of the negated verb; two words before it are enough to see the "couldn't".
    """
    if subject_at < 0:
        return 0
    if lex.classes.get(tokens[subject_at]) == "writer_object":
        return max(0, subject_at - 2)
    return subject_at + 1


def _negated(lex: _Lexicon, hit: _Hit, words: list[str]) -> _Hit | None:
    """A negated phrase: gone, except a present-tense denial of a strong crisis phrase.

    "I'm not suicidal" stays as a weak ``crisis.mentioned``; "I was never suicidal" is gone.
    """
    if not hit.rule.crisis or hit.weight != "strong":
        return None
    if any(w in lex.past for w in words):
        return None
    return _Hit(hit.rule, "crisis.mentioned", "weak", hit.start, hit.end)


def _clause_tokens(lex: _Lexicon, text: str, start: int) -> list[str]:
    """Return the lowercase words of the clause before ``start`` (at most the last few).

    Pseudo-negations ("can't stop", "don't know") are blanked first, since they do not negate.
    """
    window = text[max(0, start - _LOOK_BACK) : start]
    window = window[_last_end(_CLAUSE_BREAK, window) :]
    window = lex.pseudo.sub(" ", window)
    # Words with digits are ages and dates ("my mother (54F) has"), never subjects or verbs.
    words = []
    for t in _TOKEN.findall(window):
        if _DIGIT.search(t):
            continue
        owner = t[:-2] if t.endswith("'s") else ""
        if owner in lex.classes and owner not in lex.pronouns:
            # "his brother's suicide attempt": the owner is whose it is, as if the subject.
            words += [owner, "is"]
            continue
        words.append(t.replace("'", ""))
    return words[-_WINDOW_WORDS:]


def _last_end(pattern: re.Pattern[str], text: str) -> int:
    """Return where the last match of ``pattern`` in ``text`` ends, or 0 if there is none."""
    end = 0
    for m in pattern.finditer(text):
        end = m.end()
    return end


def _nearest_subject(lex: _Lexicon, tokens: list[str], *, crisis: bool) -> tuple[int, str]:
    """Return (index, class) of the last word that acts as a subject, or (-1, "none").

    For crisis phrases "me" stands for the writer ("it makes me want to die") and a generic
    "you" is skipped; for abuse phrases "me" is the one being hurt, so it is skipped, and "you"
    is the partner being addressed. A noun not followed by a verb is an object ("I told my
    therapist about my suicidal thoughts") and is skipped too: a noun is a subject only when
    a verb-like word follows it, or nothing does.
    """
    for i in range(len(tokens) - 1, -1, -1):
        token = tokens[i]
        kind = _kind(lex, token)
        if kind is None:
            continue
        if kind == "writer_object":
            if crisis:
                return i, "writer"
            continue
        if kind in {"addressee", "partner_object"}:
            if crisis:
                continue
            kind = "partner"
        if token == "were" and i > 0 and _kind(lex, tokens[i - 1]) is not None:
            continue  # "you were checking": the verb, not "we're"
        if token == "it" and not crisis and not _verb_follows(lex, tokens, i):
            continue  # "he set it up and reads...": "it" is the object there
        if token not in lex.pronouns and not _verb_follows(lex, tokens, i):
            continue
        return i, kind
    return -1, "none"


def _kind(lex: _Lexicon, token: str) -> str | None:
    """Return the subject class of ``token``; a noun's "'s" written without the apostrophe
    ("dads been checking", "sisters boyfriend") is the noun itself."""
    kind = lex.classes.get(token)
    if kind is None and token.endswith("s") and token[:-1] not in lex.pronouns:
        kind = lex.classes.get(token[:-1])
    return kind


def _verb_follows(lex: _Lexicon, tokens: list[str], i: int) -> bool:
    """Return True if the word after ``tokens[i]`` looks like a verb, or there is none."""
    if i + 1 >= len(tokens):
        return True
    after = tokens[i + 1]
    if after == "of" and len(tokens) - i <= 5:
        # "my girlfriend of two years hits me": a short "of" phrase runs up to the phrase, so
        # the noun before it is still the one who acts.
        return True
    return after in lex.verb_like or after.endswith(("ed", "s"))


def _subject_fits(who: str, subject: str, tokens: list[str]) -> bool:
    """Return whether the nearest subject suits the rule's ``who``.

    ``partner_named`` needs the partner named in the clause, except when the phrase opens the
    clause ("Punched me and threw things at me."), where the subject was left out.
    """
    if who == "self":
        return True
    if who == "writer":
        return subject in {"writer", "none"}
    if who == "partner":
        return subject in {"partner", "none"}
    if who == "partner_named":
        return subject == "partner" or (subject == "none" and not tokens)
    if who == "victim":
        return subject in {"writer", "partner", "none"}
    raise ValueError(f"unknown 'who' in safety lexicon: {who!r}")


def _is_joke(lex: _Lexicon, text: str, start: int, end: int) -> bool:
    """Return True when laughter or a figure of speech shares the phrase's sentence."""
    lo = max(0, start - _SENTENCE_REACH)
    sentence_start = lo + _last_end(_SENTENCE_BREAK, text[lo:start])
    after = _SENTENCE_BREAK.search(text, end, min(len(text), end + _SENTENCE_REACH))
    sentence_end = after.start() if after else min(len(text), end + _SENTENCE_REACH)
    sentence = text[sentence_start : min(len(text), sentence_end + _JOKE_TAIL)]
    laughs = bool(lex.jokes.search(sentence)) or any(e in sentence for e in lex.emoji)
    return laughs and not lex.earnest.search(text, sentence_start, sentence_end + _EARNEST_TAIL)


@cache
def _lexicon() -> _Lexicon:
    """Compile ``data/safety.toml`` once per process."""
    return _compile(load("safety"), load("safety"))


@cache
def _distress_lexicon() -> _Lexicon:
    """Compile ``data/distress.toml`` once per process, judged with safety.toml's context words.

    Every distress rule's ``about`` is ``crisis.distress``; its family is kept on the rule.
    """
    return _compile(load("distress"), load("safety"), about=_DISTRESS)


def _compile(data: dict[str, Any], context: dict[str, Any], about: str | None = None) -> _Lexicon:
    """Compile the rules of ``data`` with the macros, subjects, negation, jokes of ``context``."""
    macros = {k: _expand(v, {}) for k, v in context["macros"].items()}
    rules: dict[str, _Rule] = {}
    phrases: list[tuple[str, str]] = []
    for i, spec in enumerate(data["rule"]):
        expanded = [_expand(p, macros) for p in spec["patterns"]]
        body = "|".join(f"(?:{p})" for p in expanded)
        name = f"r{i}"
        phrases += [(name, p) for p in expanded]
        rule_about = about or spec["about"]
        rules[name] = _Rule(
            about=rule_about,
            weight=spec["weight"],
            who=spec["who"],
            negation=spec["negation"],
            jokes=bool(spec.get("jokes", False)),
            conditional=bool(spec.get("conditional", not rule_about.startswith("crisis."))),
            pattern=_OnFirstUse(rf"\b(?:{body})\b"),
            family=spec.get("family", ""),
        )
    combined = dispatch.Phrases(phrases)
    subjects = context["subjects"]
    classes = {
        token: kind
        for kind in ("writer", "writer_object", "addressee", "partner_object", "partner", "other")
        for token in subjects[kind]
    }
    negation = context["negation"]
    jokes = context["jokes"]
    return _Lexicon(
        combined=combined,
        rules=rules,
        order=tuple(rules.values()),
        classes=classes,
        verb_like=frozenset(subjects["verb_like"]),
        pronouns=frozenset(subjects["pronouns"]),
        negators=frozenset(negation["words"]),
        past=frozenset(negation["past"]),
        pseudo=_phrases(negation["pseudo"]),
        affirming_tail=re.compile(
            r"\s*(?:" + "|".join(_expand(p, {}) for p in negation["affirming_tail"]) + r")\b"
        ),
        jokes=re.compile(
            r"(?<!\w)(?:" + "|".join(_expand(p, macros) for p in jokes["patterns"]) + r")(?!\w)"
        ),
        emoji=tuple(jokes["emoji"]),
        earnest=_phrases(jokes["earnest"]),
    )


def _phrases(phrases: list[str]) -> re.Pattern[str]:
    body = "|".join(_expand(p, {}) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"\b(?:{body})\b")


def _expand(pattern: str, macros: dict[str, str]) -> str:
    """Turn the lexicon's readable notation into a regular expression.

    ``{name}`` becomes a macro, an apostrophe becomes optional, a space becomes ``\\s+``.
    """
    if _UPPER.search(pattern):
        # The text is matched in lowercase, so an uppercase letter could never match.
        raise ValueError(f"safety lexicon patterns must be lowercase: {pattern!r}")
    # "air ?tag" is an optional space ("airtag", "air tag"): text.expand reads " ?" so.
    return _informal(text_module.expand(pattern, macros))


def _informal(pattern: str) -> str:
    """Let every phrase match the way people type it in a hurry: a dropped final g
    ("thinkin bout endin it"), "gonna", "tryna" and "wanna", "bout" for "about", "n" for "and". The
    letters of the phrase are unchanged, so the rules stay as readable as they were written."""
    for written, typed in _CONTRACTIONS:
        pattern = written.sub(typed, pattern)
    return _DROPPED_G.sub("in(?:g|')?", pattern)


# A final "ing" after at least three letters: "ending", "thinking", not "thing" or "bring".
_DROPPED_G = re.compile(r"(?<=[a-z]{3})ing(?![a-z?(])")
_CONTRACTIONS = (
    (re.compile(r"(?<![a-z])going\\s\+to(?![a-z])"), r"(?:going\\s+to|gonna)"),
    (re.compile(r"(?<![a-z])trying\\s\+to(?![a-z])"), r"(?:trying\\s+to|tryna)"),
    (re.compile(r"(?<![a-z])about(?![a-z])"), r"(?:a|')?bout"),
    (re.compile(r"(?<![a-z])and(?![a-z])"), r"(?:and|n|&)"),
    (re.compile(r"(?<![a-z])want(?![a-z])"), r"(?:want|wanna)"),
)
