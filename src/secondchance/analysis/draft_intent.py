"""What a draft *does*, read from its structure rather than from listed sentences. Pure.

The phrase rules in ``data/review.toml`` know many ways of saying "I miss you"; they cannot
know every way of checking up on someone or of putting him down. This module reads each
sentence as who does what to whom, using word classes from the ``[intent]`` table:

- checking up: "I" (or nobody, on a phone) + a watching verb + "you"/"your": "I just drove by
  your work", "saw your new haircut", "heard about your new job"; or his profiles and new life;
- a new partner: the writer's new partner brought in, worst of all measured against him;
- a put-down: "you're" + a word that runs him down (VADER's own valence, plus a short list);
- a debt or a reproach: "after everything I did", "you never even called me", "why haven't you";
- the relationship: feelings about each other, what you were, what comes next;
- meeting: an ask (early: revise) or an ask with insistence or urgency (pressure: don't send);
- a long letter full of feeling;
and the do's: a shared memory in any words ("that show we used to watch", "the coffee shop where
you spilled your latte"), and practical arrangements with a time.

Every finding keeps the exact span it came from. Text is read through ``text.fold`` (same
length, so spans are spans of the draft) and split with ``text.sentences``; words someone else
says ("my mom said you were a jerk") belong to them, via ``text.speech``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from itertools import chain

from secondchance.analysis import text as parse
from secondchance.analysis import tone
from secondchance.analysis.draft_rules import Hit, raw_lexicon, trimmed
from secondchance.analysis.guard import guarded

_WORD = re.compile(r"[a-z']+")
_NEGATION = frozenset({"not", "never", "no", "isn't", "aren't", "wasn't", "nothing"})


@dataclass(frozen=True)
class _Patterns:
    checking: re.Pattern[str]
    watching: re.Pattern[str]  # the watching verb ``checking`` is built around, alone
    his_life: re.Pattern[str]
    watched: re.Pattern[str]
    wish: re.Pattern[str]
    own_news: re.Pattern[str]
    blocked: re.Pattern[str]
    partner: re.Pattern[str]
    compare: re.Pattern[str]
    about_you: re.Pattern[str]
    put_down: re.Pattern[str]
    his_state: re.Pattern[str]
    put_down_valence: float
    praise: re.Pattern[str]
    reply: re.Pattern[str]
    reply_not: re.Pattern[str]
    reply_sting: re.Pattern[str]
    jab_sting: re.Pattern[str]
    praise_sting: re.Pattern[str]
    praise_partner: re.Pattern[str]
    debt: re.Pattern[str]
    reproach: re.Pattern[str]
    always: re.Pattern[str]
    relationship: re.Pattern[str]
    dismissal: re.Pattern[str]
    sign_off: re.Pattern[str]
    ask: re.Pattern[str]
    free: re.Pattern[str]
    affection: re.Pattern[str]
    urgent: re.Pattern[str]
    open_door: re.Pattern[str]
    shared_practical: re.Pattern[str]
    shared_things: re.Pattern[str]
    open_door_meet: re.Pattern[str]
    open_door_when: re.Pattern[str]
    open_door_plan: re.Pattern[str]
    show_up: re.Pattern[str]
    when: re.Pattern[str]
    chore: re.Pattern[str]
    handover: re.Pattern[str]
    feeling: re.Pattern[str]
    long_letter_feelings: int
    memory: re.Pattern[str]
    memory_when: re.Pattern[str]
    episode: re.Pattern[str]
    identified: re.Pattern[str]
    ours: re.Pattern[str]
    knowing: re.Pattern[str]
    anchored: re.Pattern[str]
    happened_to_us: re.Pattern[str]
    thought_of: re.Pattern[str]
    past: frozenset[str]
    hurt: re.Pattern[str]
    standing: re.Pattern[str]
    sarcasm: re.Pattern[str]
    feelings: re.Pattern[str]
    feelings_asked: re.Pattern[str]
    still_fond: re.Pattern[str]
    stopped: re.Pattern[str]
    hurt_done: re.Pattern[str]
    third: re.Pattern[str]
    relations: re.Pattern[str]
    couple: re.Pattern[str]
    rival: re.Pattern[str]
    romance: re.Pattern[str]
    tears: re.Pattern[str]


def _words(alternation: str) -> str:
    return f"(?:{alternation})"


# The word classes searched for anywhere in a sentence, every sentence of every draft: each
# gets a look-ahead of the letters it can start with (``guard``), same matches, fewer tries.
# Those matched at one place (``put_down``, ``hurt``...) gain nothing from it.
_GUARDED = (
    *("his_life", "watched", "wish", "blocked", "partner", "compare", "about_you", "jab_sting"),
    *("praise_sting", "praise_partner", "debt", "reproach", "always", "relationship", "ask"),
    *("show_up", "chore", "handover", "feeling", "memory", "memory_when", "episode", "ours"),
    *("knowing", "anchored", "thought_of", "identified", "sarcasm", "feelings", "still_fond"),
    *("stopped", "hurt_done", "relations"),
    *("couple", "rival", "romance", "tears", "standing", "watching"),
)


@cache
def patterns() -> _Patterns:
    """Return the compiled word classes of ``[intent]``; built once per process."""
    built = _patterns()
    return replace(built, **{name: guarded(getattr(built, name)) for name in _GUARDED})


def _patterns() -> _Patterns:
    data = raw_lexicon()["intent"]
    mem = data["memory"]
    you, your = _words(data["you"]), _words(data["your"])
    you_any = rf"(?:{you}|{your})"
    # The writer, said or left out ("saw your post"), then a watching verb, then him, with at
    # most three plain words between (no "and": "saw this and thought of you" is fond).
    subject = r"(?:\bi(?:'ve|ve| have|'d| had)?|(?:^|[^\w\s'])\s*|\bso|\band|\bjust)"
    adverb = (
        r"(?: (?:just|also|even|actually|accidentally|finally|totally|randomly|literally|been"
        r"|kept|keep))*"
    )
    # Nor a thing and a clause about it: "passed the café where you spilled your latte" is
    # about the café ("where", "which", or a gap that opens with "the", "a", "our"...).
    gap = (
        r"(?: (?!(?:the|this|those|a|an|our|my)\b|that (?!(?:you|u)\b))"
        r"(?!and\b|but\b|thought\b|of\b|remind|where\b|when\b|which\b|who\b)[\w']+"
        r"(?: (?!and\b|but\b|thought\b|of\b|remind|where\b|when\b|which\b|who\b)[\w']+)"
        r"{0,2}?)?"
    )
    checking = rf"{subject}{adverb} ?(?P<v>{_words(data['watch'])})\b{gap} {you_any}\b"
    partner = (
        rf"\bmy (?:new |current )?{_words(data['partner'])}\b"
        rf"|\bmy (?:new|current) {_words(data['partner_loose'])}\b"
        r"|\bthe (?:guy|girl|man|woman|person) i'?m (?:seeing|dating|with|talking to)\b"
        r"|\bi'?(?:m| am|ve|ve been| have been) (?:seeing|dating|met) (?:someone|somebody)\b"
        r"|\bi (?:finally |have |'ve )?(?:found|met) (?:someone|somebody|a (?:guy|girl|man|woman))"
        r" (?:who|that)\b"
        rf"|\bsome(?: other| lucky)? (?:guy|girl|man|woman|one)\b(?=(?: [\w']+){{0,3}} happy)"
    )
    memory = (
        rf"\b(?:{mem['determiner']})(?P<np>(?: (?!(?:{mem['not_things']})\b)[\w'-]+){{1,5}}?)"
        rf" (?:(?:{mem['link']}) )?(?P<who>{mem['who']})"
        rf"(?P<adv>(?: (?:{mem['adverbs']}))*) (?P<verb>[\w']+)"
    )
    memory_when = (
        rf"\b(?:remember|of|like|about|since|back|the time|that time) (?:when |how )?"
        rf"(?P<who>{mem['who']})(?P<adv>(?: (?:{mem['adverbs']}))*) (?P<verb>[\w']+)"
    )
    episode = (
        rf"\b{mem['episode']}(?: [\w']+){{0,6}}? (?P<who>{mem['who']}|it)"
        rf"(?P<adv>(?: (?:{mem['adverbs']}))*) (?P<verb>[\w']+)"
    )
    return _Patterns(
        episode=re.compile(episode),
        identified=re.compile(rf"\b(?:{mem['identified']})"),
        # "our" + a word that marks a habit or a story of the two of you: in a tweet "our" is
        # a country or a team ("our president"); "our old neighbour", "our 2am pancakes" are
        # yours alone.
        ours=re.compile(rf"\bour (?:{mem['ours_mark']}) (?!(?:{mem['not_ours']})\b)[\w'-]+"),
        checking=re.compile(checking),
        watching=re.compile(rf"{_words(data['watch'])}\b"),
        his_life=re.compile(rf"\b{your} (?:{data['his_life']})\b"),
        watched=re.compile(rf"\b(?:{data['watched']})\b"),
        wish=re.compile(rf"\b(?:{data['wish']})"),
        own_news=re.compile(data["own_news"]),
        blocked=re.compile(
            r"\b(?:block|unfollow|unfriend|mute|delete)(?:ed|d)? (?:from )?me\b"
            r"|\b(?:hidden|private) (?:from )?me\b"
        ),
        partner=re.compile(partner),
        compare=re.compile(rf"\b(?:{data['compare']})\b"),
        about_you=re.compile(rf"\b(?:{data['about_you']})\b(?P<rest>(?: [\w']+){{1,4}})"),
        put_down=re.compile(rf"^(?:(?: [\w']+){{0,3}} )?(?:{data['put_down']})\b"),
        his_state=re.compile(rf"^(?: [\w']+){{0,2}}? (?:{data['his_state']})\b"),
        put_down_valence=float(data["put_down_valence"]),
        reply=re.compile(
            rf"^\W*(?:(?:hey|hi|hello|oh|ah+|ooh?|ha+|haha+|lol|lmao|ok|okay|kk|k)\W+)?"
            rf"(?:(?P<sympathy>{data['reply_sympathy']})|{data['reply_ack']})\b(?!')"
        ),
        reply_not=re.compile(rf"^\W*(?:{data['reply_not']})\W*$|\b(?:whatever)\b"),
        reply_sting=re.compile(rf"\b(?:{data['reply_sting']})\b"),
        jab_sting=re.compile(rf"\b(?:{data['jab_sting']})"),
        praise=re.compile(rf"^\W*(?:{data['praise_frame']})\b(?P<rest>[^.!?]*)"),
        praise_sting=re.compile(rf"\b(?:{data['praise_sting']})\b"),
        praise_partner=re.compile(rf"\b(?:{data['praise_partner']})"),
        debt=re.compile(rf"\b(?:{data['debt']})"),
        reproach=re.compile(rf"\b(?:{data['reproach']})"),
        always=re.compile(rf"\b{data['always']}(?P<rest>(?: [\w']+){{1,4}})"),
        relationship=re.compile(
            rf"\b(?:{data['relationship']}|{data['relationship_more']}|{data['letter_talk']})"
        ),
        dismissal=re.compile(rf"\b(?:{data['dismissal']})\b"),
        sign_off=re.compile(data["sign_off"]),
        ask=re.compile(rf"\b(?:{data['ask']})\b(?:(?: [\w']+){{0,3}}?) (?:{data['meet']})\b"),
        # (?!\w), not \b: an alternative may end in "?" ("coffee this week?").
        free=re.compile(rf"(?<!\w)(?:{data['free']})(?!\w)"),
        affection=re.compile(data["affection"]),
        urgent=re.compile(rf"\b(?:{data['urgent']})\b|!!|\?!"),
        shared_practical=re.compile(rf"(?:{data['shared_practical']})"),
        shared_things=re.compile(rf"(?:{data['shared_things']})"),
        open_door=re.compile(rf"(?:\b|(?<=\w))(?:{data['open_door']})\b"),
        open_door_meet=re.compile(rf"\b(?:{data['open_door_meet']})\b"),
        open_door_when=re.compile(rf"\b(?:{data['open_door_when']})\b"),
        open_door_plan=re.compile(rf"\b(?:{data['open_door_plan']})\b"),
        show_up=re.compile(rf"\b(?:{data['show_up']})\b"),
        when=re.compile(rf"(?<![\w:])(?:{data['when']})(?![\w:])"),
        handover=re.compile(rf"\b(?:{data['handover']})"),
        chore=re.compile(rf"\b(?:{data['chore']})\b"),
        feeling=re.compile(rf"\b(?:{data['feeling']})\b"),
        long_letter_feelings=int(data["long_letter_feelings"]),
        memory=re.compile(memory),
        memory_when=re.compile(memory_when),
        thought_of=re.compile(rf"\b(?:{mem['thought_of']})"),
        anchored=re.compile(rf"\b(?:{mem['anchored']})"),
        happened_to_us=re.compile(rf"\b(?:{mem['happened_to_us']})"),
        knowing=re.compile(rf"\b(?:{mem['knowing']})"),
        past=frozenset(mem["past"].split("|")),
        hurt=re.compile(rf"(?:{mem['hurt']})\b"),
        standing=re.compile(rf"\b(?:{data['standing']})"),
        sarcasm=re.compile(rf"\b(?:{data['sarcasm']})"),
        stopped=re.compile(rf"\b(?:{data['stopped']})"),
        still_fond=re.compile(rf"\b(?:{data['still_fond']})"),
        # Him (or "the one who", said of him) as the one who feels, the writer (or the two of
        # you) as what is felt about.
        feelings=re.compile(
            rf"\b(?:{you}|the (?:one|person|guy|girl|man|woman) (?:who|that))\b(?: [\w']+){{0,3}}?"
            rf" (?:{data['feel_for']}) (?:me|us)\b(?! to\b)"
        ),
        # The same asked with "you" left out: "still hate me?", "thinking about me?".
        feelings_asked=re.compile(
            rf"^\W*(?:(?:so|and|but|still|do|you|u) )*(?:{data['feel_for']}|thinking (?:about|of))"
            rf" (?:me|us)\b(?! to\b)(?=[^.!]*\?)"
        ),
        hurt_done=re.compile(
            rf"\b{data['hurt_by']}(?: [\w']+){{0,2}}? (?:{data['hurt_verbs']})"
            rf" (?:me\b|my (?:heart|world|universe|life|soul|trust|confidence)\b)"
            rf"|\b(?:{data['because']})"
        ),
        third=re.compile(r"\b(?:she|her|he|him)\b"),
        relations=re.compile(rf"\b(?:{data['relations']})\b"),
        couple=re.compile(rf"\b(?:{data['couple']})"),
        rival=re.compile(rf"\b(?:{data['rival']})\b"),
        romance=re.compile(rf"\b(?:{data['romance']})"),
        tears=re.compile(rf"\b(?:{data['tears']})"),
    )


# --------------------------------------------------------------------------------------------
# The reading
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reading:
    """The folded draft with other people's words blanked, its sentences, and whether it
    names anyone (a "she" or "he" may then be that person)."""

    text: str
    sentences: tuple[tuple[int, int], ...]
    names_someone: bool = False


def read(body: str) -> Reading:
    """Return the reading of ``body``: folded, with words others said blanked (same length)."""
    # Laughing sounds carry no words: blanked, they cannot stand between a sentence's start and
    # what it does ("haha why did you unfollow me?" asks what "why did you..." asks).
    folded = _SOUNDS.sub(lambda m: " " * len(m.group()), parse.fold(body))
    cells = list(folded)
    for said in parse.speech(folded):
        if said.speaker == "other":
            cells[said.start : said.end] = " " * (said.end - said.start)
    text = "".join(cells)
    sentences = tuple(parse.sentences(folded))
    return Reading(text, sentences, _names_someone(_SOUNDS_ANY_CASE.sub(_spaces, body), text))


# A capitalised word inside a sentence is a name ("is Sam ok? is he better?").
_NAME = re.compile(r"(?<=[\w,;:] )[A-Z][a-z]+")
_NOT_NAMES = frozenset({"I", "Im", "Ive", "Id", "Ill", "Ok", "Okay", "Lol", "Haha", "God", "Omg"})


_SOUNDS = re.compile(r"(?<![\w'])(?:ha(?:ha)+h?|he(?:he)+|lol+|lmao+|lmfao|rofl)(?![\w'])")
_SOUNDS_ANY_CASE = re.compile(_SOUNDS.pattern, re.IGNORECASE)


def _spaces(match: re.Match[str]) -> str:
    return " " * len(match.group())


_HIS_ROLE = re.compile(
    r"\b(?:an?|such an?) (?:[\w']+ )?(?:dad|father|mom|mum|mother|parent|friend|son|brother)\b"
)


def _names_someone(body: str, folded: str) -> bool:
    """True when the draft names a person or a relation a "she" or "he" could stand for."""
    p = patterns()
    # "you'll be a great dad": a role of his, not someone else in the draft.
    related = p.relations.search(_HIS_ROLE.sub(_spaces, folded))
    if related or p.chore.search(folded) or p.when.search(folded):
        return True  # in a practical text, "he" is most likely the child
    return any(m.group() not in _NOT_NAMES for m in _NAME.finditer(body))


def problem_hits(reading: Reading, stage: str = "first") -> list[Hit]:
    """Return every don't the draft does, each with the span that shows it.

    Once talking (``stage`` "ongoing"), asking after his news ("how was the trip?", "congrats
    on the new job!") answers what he told you; as a first text it shows you kept watching.
    """
    out: list[Hit] = []
    chores = patterns().chore
    for start, end in reading.sentences:
        sentence = _him_as_subject(reading.text[start:end])
        # Several finders let an arrangement pass ("pick him up at 5"): looked for once.
        chore = chores.search(sentence) is not None
        asks_after = stage == "ongoing" and _asks_after(sentence)
        for finder in _FINDERS:
            if asks_after and finder is _checking_up:
                continue
            hit = finder(sentence, chore)
            if hit is not None:
                rule, a, b, *more = hit  # then a message of its own, then a severity
                message, severity = (*more, None, None)[:2]
                out.append(Hit(rule, start + a, start + b, severity=severity, message=message))
        hit = _someone_else(sentence, reading.names_someone, chore)
        if hit is not None:
            out.append(Hit(hit[0], start + hit[1], start + hit[2]))
    return out


def _him_as_subject(sentence: str) -> str:
    """Return ``sentence`` with "are you the same guy who..." read as "you..." (same length):
    what that clause says, it says of him ("...who promised me forever" is "you promised me
    forever"), and the finders read it so."""
    match = patterns().identified.search(sentence)
    if match is None:
        return sentence
    start, end = match.start(), match.end("rel")
    return sentence[:start] + "you".rjust(end - start) + sentence[end:]


_SARCASM = (
    "This sounds like a dig dressed up as something nice. Sarcasm lands as anger, however it's "
    "meant: let your journal or a friend hear it, and keep the text itself kind and light."
)
_GUILT = (
    "This tells {him} how much {he} hurt you. That hurt is real, and it deserves somewhere safe to "
    "go, like your journal; in a text it reads as a guilt trip, and that pushes people away."
)


def _first(
    pattern: re.Pattern[str], sentence: str, rule: str, message: str
) -> tuple[str, int, int, str] | None:
    """The first match of ``pattern`` in ``sentence`` as a hit of ``rule`` with ``message``."""
    match = pattern.search(sentence)
    return (rule, match.start(), match.end(), message) if match else None


def _sarcastic(sentence: str, _chore: bool) -> tuple[str, int, int, str] | None:
    """Praise that means its opposite: "must be nice", "yeah right", "wow, real mature"."""
    return _first(patterns().sarcasm, sentence, "insult", _SARCASM)


def _guilt(sentence: str, _chore: bool) -> tuple[str, int, int, str] | None:
    """What he did to the writer, or what the writer is worth to him, held up to him."""
    p = patterns()
    for match in (*p.hurt_done.finditer(sentence), *p.standing.finditer(sentence)):
        if _DESCRIBED.search(sentence, 0, match.start()):
            continue  # "that dog video you sent killed me": the video did, and it was funny
        return "blame", match.start(), match.end(), _GUILT
    return None


_ROMANCE = (
    "This calls back a moment of the two of you as a couple. However happy, romance brings up "
    "the relationship: for now a memory works best when it's simply fun, like a place, a joke "
    "or a mishap."
)


def _romance(sentence: str, _chore: bool) -> tuple[str, int, int, str] | None:
    """A memory of the two of you as a couple: a kiss, a proposal, the wedding."""
    return _first(patterns().romance, sentence, "relationship", _ROMANCE)


_TEARS = (
    "This tells {him} it still makes you cry. That hurt is real and it deserves care, in your "
    "journal or with a friend; in a text it reopens the breakup."
)


def _tears(sentence: str, _chore: bool) -> tuple[str, int, int, str] | None:
    """The writer's grief, shown to him: "...and cried", "I had to pull over"."""
    return _first(patterns().tears, sentence, "relationship", _TEARS)


def _his_feelings(sentence: str, _chore: bool) -> tuple[str, int, int] | None:
    """Him feeling something about the writer or the two of them: "did you ever love me"."""
    p = patterns()
    match = p.feelings.search(sentence) or p.feelings_asked.search(sentence)
    if match is None:
        return None
    # Love or longing asked of him is "I miss you" turned round; hate or regret is the breakup.
    fond = not _SORE.search(match.group())
    return ("miss_you" if fond else "relationship"), match.start(), match.end()


def _stopped(sentence: str, chore: bool) -> tuple[str, int, int] | None:
    """What has stopped between him and the writer: "we don't talk anymore", "so do you not
    want to talk to me anymore?". That is the relationship, however it is asked. Not an
    arrangement that is no longer needed ("you don't have to call me about it anymore")."""
    if chore:
        return None
    match = patterns().stopped.search(sentence)
    if match is None or not _US_TWO.search(match.group()) or _NO_NEED.search(match.group()):
        return None
    return "relationship", match.start(), match.end()


_NO_NEED = re.compile(r"\b(?:(?:don'?t|do not|doesn'?t|won'?t) (?:need|have) to|no need)\b")
_US_TWO = re.compile(r"\b(?:me|us|we)\b")


_STILL_FOND = (
    "Telling {him} {he} still looks great, or that {he}'s still thought of fondly, lets your "
    "feelings show through. It's kind, and it hints at the relationship all the same: for now let "
    "the wish, or a light memory, carry the warmth."
)


def _still_fond(sentence: str, chore: bool) -> tuple[str, int, int, str, str] | None:
    """Praise of him, or fondness for him, that has outlasted the breakup: "still looking
    great", "you're still the sweetest". A hint at feelings rather than relationship talk, so
    it asks for a revision. Not a question ("are you still good for Friday?"), not an
    arrangement or a skill ("still good for Friday", "still great at chess"), not a doing
    ("you're still enjoying the bike"), and not the writer's own news ("I'm 40 and still
    looking good")."""
    if chore or "?" in sentence:
        return None
    lexicon = tone.lexicon()
    for match in patterns().still_fond.finditer(sentence):
        word = match.group("word")
        if word.endswith("ing") or lexicon.get(word, 0.0) < _PRAISE:
            continue
        if _NOT_HIM.search(sentence, 0, match.start()) or _SKILL.match(sentence, match.end()):
            continue
        return "relationship", match.start(), match.end(), _STILL_FOND, "warn"
    return None


# As warm as "nice" (VADER 1.8): "fondly", "great", "handsome", "the best".
_PRAISE = 1.8
# Someone or something else as the subject before "still": "I'm 40 and still...", "it's...".
_NOT_HIM = re.compile(r"\b(?:i|i'm|im|me|my|we|we're|our|it|it's|its|is|are|was|were|\w+'s)\b")
# What a warm word is about when it is a skill or an arrangement: "great at", "good for".
_SKILL = re.compile(r" (?:at|for|to|with|in|about|on)\b")


_SORE = re.compile(r"\b(?:hate|hated|regret|regretted|replace|replaced|forget|forgot|forgotten)\b")


def _someone_else(sentence: str, names_someone: bool, chore: bool) -> tuple[str, int, int] | None:
    """A "she" or "he" nobody was named for, or "you two": in a text to him, someone in his
    love life ("is she the reason you left?", "does he know about me?")."""
    p = patterns()
    if chore:
        return None  # "he has a fever, can you pick him up": the child, in co-parenting
    couple = p.couple.search(sentence)
    if couple and _PEOPLE.search(sentence):
        return "jealousy", couple.start(), couple.end()
    third = None if names_someone else p.third.search(sentence)
    if third and _PEOPLE.search(sentence) and p.rival.search(sentence):
        return "jealousy", third.start(), len(sentence.rstrip())
    return None


# The writer or him, beside a "she" or "he": the third person is then part of your story.
_PEOPLE = re.compile(r"\b(?:you|u|your|ur|me|my|i|i'm|im|us|we)\b")


def _checking_up(sentence: str, chore: bool) -> tuple[str, int, int] | None:
    p = patterns()
    if chore and not p.his_life.search(sentence):
        return None  # "I saw your keys by the door": an arrangement, not watching him
    if _TOLD.search(sentence):
        return None  # "great news, congrats on the promotion": he told you, you're glad
    # Every match of ``checking`` has a watching verb: without one, it is not tried at every
    # position of the sentence (it may start at any punctuation).
    first = (p.checking,) if p.watching.search(sentence) else ()
    for regex in (*first, p.his_life, p.watched, p.blocked):
        match = regex.search(sentence)
        if match:
            start = match.start("v") if "v" in regex.groupindex else match.start()
            return "checking_up", start, match.end()
    return None


def _asks_after(sentence: str) -> bool:
    """True for a question, a congratulation or a wish about his news, with no watching verb
    ("saw", "heard about"), nothing of his profiles and nobody in his love life."""
    p = patterns()
    if not _ASKING_AFTER.search(sentence) or _NOT_HIS_NEWS.search(sentence):
        return False
    return not (p.watching.search(sentence) and p.checking.search(sentence))


_ASKING_AFTER = re.compile(
    r"\b(?:how(?:'s| is| was| did| are| were)|did (?:you|u)|have (?:you|u)|congrat\w*"
    r"|good luck|best of luck|hope (?:the|your|ur|you|u))\b"
)
# His profiles, his love life, the writer: not his news to ask after.
_NOT_HIS_NEWS = re.compile(
    r"\b(?:facebook|fb|insta|instagram|ig|snap|snapchat|twitter|tiktok|linkedin|profile|status"
    r"|statuses|story|stories|posts?|pics?|photos?|location|girl|guy|gf|bf|girlfriend|boyfriend"
    r"|man|woman|partner|lady|boo|bae|fling|engagement|engaged|relationship|date|wedding|her"
    r"|him|she|he|me|my|us|we|last night|where)\b"
)


# Glad of news he gave you himself.
_TOLD = re.compile(
    r"\b(?:great|good|amazing|awesome|wonderful|exciting|big) news\b"
    r"|\b(?:glad|good|happy) to hear\b"
)


def _new_partner(sentence: str, chore: bool) -> tuple[str, int, int] | None:
    if chore:
        return None  # "my partner will pick the kids up at 5": co-parenting logistics
    match = patterns().partner.search(sentence)
    if match is None:
        return None
    return "new_partner", match.start(), match.end()


def _put_down(sentence: str, _chore: bool) -> tuple[str, int, int] | None:
    p = patterns()
    lexicon = tone.lexicon()
    for match in p.about_you.finditer(sentence):
        rest = match.group("rest")
        if p.his_state.match(rest):
            continue  # "you're probably mad", "you're busy": how he is, not what he is
        if p.put_down.match(rest):
            return "insult", match.start(), match.end()
        offset = match.start("rest")
        for word in _WORD.finditer(rest):
            if word.group() in _NEGATION:
                break  # "you're not bad at all"
            if lexicon.get(word.group(), 0.0) <= p.put_down_valence:
                return "insult", match.start(), offset + word.end()
    for match in (*_HOW_YOU.finditer(sentence), *_WHAT_A_YOU.finditer(sentence)):
        word = match.group("word")
        if p.put_down.match(" " + word) or _valence(word) <= p.put_down_valence:
            return "insult", match.start(), match.end()
    dismissed = p.dismissal.search(sentence)
    if dismissed:
        return "insult", dismissed.start(), dismissed.end()
    return _comparison(sentence)


# "how selfish you turned out to be": him, summed up in one hard word.
_HOW_YOU = re.compile(
    r"\bhow (?:[\w']+ )?(?P<word>[\w'-]+) (?:you|u) (?:are|were|'re|r|turned out|have become"
    r"|'ve become|became|can be|could be|acted|behaved|treated)\b"
)


# "what a joke you turned out to be": the same, as an exclamation.
_WHAT_A_YOU = re.compile(
    r"\bwhat an? (?:[\w']+ )?(?P<word>[\w'-]+) (?:you|u) (?:are|were|'re|r|turned out|have become"
    r"|'ve become|became)\b"
)


# "ten times the human being you could ever be": him measured and found wanting.
_MEASURED = re.compile(
    r"\b(?:than|as|the [\w' ]{1,30}?) (?:you|u) (?:could|would|will|can|'ll)? ?ever "
    r"(?:be|do|have|get)\b"
)


def _comparison(sentence: str) -> tuple[str, int, int] | None:
    match = _MEASURED.search(sentence)
    return ("insult", match.start(), match.end()) if match else None


def _sarcasm(sentence: str, _chore: bool) -> tuple[str, int, int] | None:
    """Praise, thanks or a wish that carries a sting: "thanks for ruining my birthday",
    "congrats on being a coward" (an insult), "good luck with her" (his love life).

    The frame is warm, so VADER and the light-tone rule read it as kind; what it is said
    *about* is what it does. A warm frame about something good ("thanks for the keys",
    "good luck at the marathon") is left alone.
    """
    p = patterns()
    match = p.praise.match(sentence)
    if match is None:
        return None
    rest, offset = match.group("rest"), match.start("rest")
    partner = p.praise_partner.search(rest)
    if partner:
        return "jealousy", match.start(), offset + partner.end()
    sting = p.praise_sting.search(rest)
    if sting:
        return "insult", match.start(), offset + sting.end()
    if _OWN_CLAUSE.match(rest):
        return None  # "thanks, it's been a crazy week": the thanks is done; then the writer's news
    for word in _WORD.finditer(rest):
        if word.group() in _NEGATION:
            return None  # "thanks for not making it awkward"
        if _valence(word.group()) <= p.put_down_valence:
            return "insult", match.start(), offset + word.end()
    return None


# After a warm frame and a pause, a clause about the writer or how things are: what it says is
# not what the thanks is for.
_OWN_CLAUSE = re.compile(
    r"\s*[,;:!\u2014-]+\s*(?:(?:yeah|yes|yep|haha+|ha|lol|oh|and|but|so)\W+)*"
    r"(?:it|it's|its|it was|i|i'm|im|i've|ive|i'd|we|we're|we've|things|life|work|everything)\b"
)


# VADER words that are, in a text to a co-parent, far more often a child's name ("MIA",
# missing in action, is -1.2): "thanks for always supporting Mia" is not a dig.
_NAMES = frozenset({"mia"})


def _valence(word: str) -> float:
    """The lowest VADER valence of ``word`` and its stems ("ruining" -1.0, "ruin" -2.8), 0.0
    if none is known."""
    if word in _NAMES:
        return 0.0
    lexicon = tone.lexicon()
    forms = (word, word.removesuffix("ing"), word.removesuffix("ed"), word.removesuffix("s"))
    return min((lexicon[f] for f in forms if f in lexicon), default=0.0)


def _debt_or_reproach(sentence: str, _chore: bool) -> tuple[str, int, int] | None:
    p = patterns()
    for regex in (p.debt, p.reproach):
        match = regex.search(sentence)
        if match:
            return "blame", match.start(), match.end()
    lexicon = tone.lexicon()
    for match in p.always.finditer(sentence):
        if _DESCRIBED.search(sentence, 0, match.start()):
            continue  # "the trail you always said was haunted" describes a thing you both know
        offset = match.start("rest")
        for word in _WORD.finditer(match.group("rest")):
            if lexicon.get(word.group(), 0.0) <= p.put_down_valence:
                return "blame", match.start(), offset + word.end()
    return _why_you(sentence) or _habit(sentence)


def _why_you(sentence: str) -> tuple[str, int, int] | None:
    """A why-question that holds something hurtful he did up to him: "why did you waste so
    much of my time?", "why would you ignore me like that". A plain why ("why did you move to
    Leeds?") asks; a word of his doing that runs low on VADER's scale is a reproach."""
    for match in _WHY_YOU.finditer(sentence):
        offset = match.start("rest")
        for word in _WORD.finditer(match.group("rest")):
            if word.group() in _NEGATION:
                break  # "why did you not tell me": a question about what did not happen
            if _valence(word.group()) <= patterns().put_down_valence:
                return "blame", match.start(), offset + word.end()
    return None


_WHY_YOU = re.compile(
    r"\bwhy (?:did|do|would|could|have|had|are|were|'d) (?:you|u)\b"
    r"(?P<rest>(?: [\w']+){1,6})"
)


def _habit(sentence: str) -> tuple[str, int, int] | None:
    """Him summed up by a habit, now: "you're always overreacting", "you always change the
    plan and never think about anyone else". A past tense tells a memory ("you always talked
    about that place"), a question asks ("do you always..."), and a fond habit ("you always
    make me laugh") carries a warm word."""
    for match in _HABIT.finditer(sentence):
        verb = match.group("verb")
        if match.group("be") is None and (
            _regular_past(verb) or verb in patterns().past or verb in _NOT_HABITS
        ):
            continue
        if match.group("be") is not None and not verb.endswith("ing"):
            continue
        if _ASKED.search(sentence, 0, match.start()) or _DESCRIBED.search(
            sentence, 0, match.start()
        ):
            continue
        after = _WORD.findall(sentence[match.start("verb") :])[:6]
        if after == ["change"]:
            continue  # "you never change": teasing, said of him fondly
        if any(_valence(w) >= _FOND for w in after):
            continue
        return "blame", match.start(), match.end()
    return None


_HABIT = re.compile(
    r"\b(?:you|u)(?P<be>'re| are| r|re|r)? (?:always|never|constantly|forever) (?P<verb>[a-z'-]+)"
)
# Verbs after "you always/never" that are not a habit held against him.
_NOT_HABITS = frozenset(
    {"know", "fail", "cease", "were", "was", "had", "did", "used", "use", "been", "be", "ever"}
)
# "do you always...", "did you ever...": a question, not a verdict.
_ASKED = re.compile(r"\b(?:do|did|don't|dont|would|will|can|are|were|have)\W*$")
# A word this warm after the habit makes it fond: "you always make me laugh".
_FOND = 1.0


# A noun phrase just before "you always": the clause describes that thing.
_DESCRIBED = re.compile(r"\b(?:the|that|those|this)(?: [\w'-]+){1,4} $")


def _relationship(sentence: str, _chore: bool) -> tuple[str, int, int] | None:
    p = patterns()
    match = p.relationship.search(sentence)
    if match:
        return "relationship", match.start(), match.end()
    match = p.sign_off.search(sentence)
    if match:
        start, end = parse.sentences(sentence)[0]
        return "love_sign_off", start, end  # "Hey. Love": a closeness not rebuilt yet
    return None


def _meeting(sentence: str, chore: bool) -> tuple[str, int, int] | None:
    p = patterns()
    shown = p.show_up.search(sentence)
    if shown:
        return "pressure_meet", shown.start(), shown.end()
    if chore or _ERRAND.search(sentence):
        return None  # "can I come by for my stuff", "...to grab my bike": an arrangement
    match = p.ask.search(sentence) or p.free.search(sentence)
    if match is None or _open_door(sentence):
        return None
    if p.urgent.search(sentence):
        return "pressure_meet", match.start(), len(sentence.rstrip())
    return "meet_request", match.start(), match.end()


# Coming by to fetch or hand over a thing.
_ERRAND = re.compile(
    r"\b(?:come|stop|swing|pop|drop) (?:by|over|round|around) (?:to|and) (?:grab|get|pick up"
    r"|collect|drop off|return|bring|give)\b"
)


def _open_door(sentence: str) -> bool:
    """True for a wish to catch up some day with nothing fixed ("would love to catch up
    sometime"): no question, no place or plan, no day, no urgency. It leaves the next step to
    him, which is the opposite of pressure."""
    p = patterns()
    return bool(
        "?" not in sentence
        and p.open_door.search(sentence)
        and p.open_door_meet.search(sentence)
        and p.open_door_when.search(sentence)
        and not p.open_door_plan.search(sentence)
        and not p.urgent.search(sentence)
        and not p.when.search(sentence)
    )


def _affection(sentence: str, _chore: bool) -> tuple[str, int, int] | None:
    match = patterns().affection.search(sentence)
    return ("affection", match.start(), match.end()) if match else None


_FINDERS = (
    _sarcastic,
    _guilt,
    _his_feelings,
    _still_fond,
    _stopped,
    _romance,
    _tears,
    _sarcasm,
    _checking_up,
    _new_partner,
    _put_down,
    _debt_or_reproach,
    _relationship,
    _meeting,
    _affection,
)


def long_letter(reading: Reading) -> bool:
    """True when a draft full of feeling words is a letter, not a text."""
    p = patterns()
    return len(p.feeling.findall(reading.text)) >= p.long_letter_feelings


# --------------------------------------------------------------------------------------------
# The do's
# --------------------------------------------------------------------------------------------


def memory_hit(reading: Reading) -> Hit | None:
    """Return the first shared memory told in any words, or None.

    A happy one is ``shared_memory``; one whose verb is a hurt ("the night you left") is
    ``sad_memory``, titled with its own words.
    """
    p = patterns()
    for regex in (p.memory, p.memory_when, p.episode, p.identified):
        for match in regex.finditer(reading.text):
            verb = match.group("verb")
            told_past = "used to" in match.group("adv") or "use to" in match.group("adv")
            if not (told_past or verb in p.past or _regular_past(verb)):
                continue
            start = match.start()
            end = match.end()
            if p.hurt.match(reading.text, match.start("verb")):
                return Hit("sad_memory", start, end, title=reading.text[start:end])
            return Hit("shared_memory", start, end)
    anchored = chain(p.anchored.finditer(reading.text), p.happened_to_us.finditer(reading.text))
    for match in anchored:
        verb = match.group("verb")
        hurt = p.hurt.match(reading.text, match.start("verb"))
        if (verb in p.past or _regular_past(verb)) and not hurt:
            return Hit("shared_memory", match.start(), match.end())
    match = (
        p.thought_of.search(reading.text)
        or p.knowing.search(reading.text)
        or p.ours.search(reading.text)
    )
    return Hit("shared_memory", match.start(), match.end()) if match else None


def _regular_past(verb: str) -> bool:
    return len(verb) > 3 and verb.endswith("ed") and verb not in {"need", "feed", "seed", "speed"}


def wish_hit(reading: Reading) -> Hit | None:
    """Return a wish for a day that matters ("happy birthday"), or None."""
    match = patterns().wish.search(reading.text)
    return Hit("wish", match.start(), match.end()) if match else None


def thanks_hit(reading: Reading) -> Hit | None:
    """Return thanks for what he does as a parent ("thank you for being such a caring father to
    our kids", "thanks for always supporting Mia"), or None: kind, whatever VADER makes of
    its words. A sting in the same sentence is the sarcasm finder's ("thanks for nothing")."""
    match = _THANKS_PARENT.search(reading.text)
    return Hit("kind_reply", match.start(), match.end()) if match else None


_THANKS_PARENT = re.compile(
    r"\bthank(?:s| you| u)? (?:so much |again )?for (?:always )?(?:being (?:such )?(?:a|an|the)"
    r" (?:[\w'-]+ ){0,3}?(?:dad|father|mom|mum|mother|parent|co-?parent)\b"
    r"|(?:helping|taking care of|looking after|raising|supporting|caring for) (?:the kids"
    r"|the children|our (?:kids|children|son|daughter|boys|girls)|them\b|(?!me\b|us\b)[a-z]+\b))"
)


def kind_reply_hit(reading: Reading) -> Hit | None:
    """Return the opening of a reply that acknowledges, agrees, thanks or sympathises, or None.

    A bare "ok" or "whatever" is not a kind reply.
    """
    match = _reply(reading)
    if match is None or (not match.group("sympathy") and _stings(reading.text, match)):
        return None
    return Hit("kind_reply", match.start(), match.end())


def light_reply_hit(body: str, reading: Reading) -> Hit | None:
    """Return a laugh that answers what he said ("haha no, I never got around to it", "lol
    that's so you"), or None.

    The laugh opens a few words that point back at his message ("that", "it") and say nothing
    of the two of you or of what he does: a laugh in front of "you promised me forever" or
    "so that's why you were always on your phone" is no reply, and is not read as one. A
    question after a laugh ("haha how's it going?") is not an answer either.
    """
    opener = _LAUGH_OPENER.match(body)
    closer = _LAUGH_CLOSER.search(body)
    if opener is None and closer is None:
        return None
    start = opener.end() if opener else 0
    rest = reading.text[start : closer.start() if closer else len(body)]
    words = _WORD.findall(rest)
    if not words or len(words) > _LIGHT_REPLY_WORDS or "?" in rest:
        return None
    if not _BACK.search(rest) or _US.search(rest) or _YOU_DOING.search(rest):
        return None
    if any(_valence(w) <= patterns().put_down_valence for w in words if w not in _NEGATION):
        return None
    return Hit("kind_reply", *trimmed(body))


# A light reply is a handful of words after the laugh.
_LIGHT_REPLY_WORDS = 8
_LAUGHS = (
    "(?:ha(?:ha)*h?|he(?:he)+|lol+|lmao+|lmfao|rofl)(?![\\w'])|[\U0001f600-\U0001f64f\U0001f923]"
)
_LAUGH_OPENER = re.compile(rf"^\W*(?:{_LAUGHS})(?:[\s,.!]|{_LAUGHS})*", re.IGNORECASE)
_LAUGH_CLOSER = re.compile(rf"(?<![\w'])(?:{_LAUGHS})(?:[\s,.!]|{_LAUGHS})*$", re.IGNORECASE)


# What points back at his message; the two of you; him doing something ("you were always...").
_BACK = re.compile(r"\b(?:that|it|this)\b")
_US = re.compile(r"\b(?:me|us|we|our|ours|my|myself|we're|we've|we'd)\b")
# "that's so you" is about a habit of his the two of you know; any other "you" is about him.
_YOU_DOING = re.compile(r"\b(?<!so )(?<!very )(?<!totally )(?:you|u|your|ur)\b")


def _stings(text: str, match: re.Match[str]) -> bool:
    """True when what follows an acknowledgement turns it into a jab: a reproach word, a
    negative word, or the acknowledgement said again ("nice, real nice")."""
    rest = text[match.end() :]
    if _THANKS.search(match.group(0)) and not _HABIT_STING.search(
        _OWN_SENTENCE.match(rest).group()
    ):
        # "thank you for always being there for the kids": thanks for a habit of his. Thanks
        # for a habit that costs the writer ("for always making me wait") is a dig.
        rest = _FOR_ALWAYS.sub(lambda m: m.group(1) + " " * (m.end(2) - m.start(2)), rest, 1)
    if patterns().reply_sting.search(rest):
        return True
    said = set(_WORD.findall(match.group(0))) - _NOT_ECHOED
    # The reply's own sentence: "I'm fine, thanks. Work's been crazy" tells his news after it.
    words = _WORD.findall(_OWN_SENTENCE.match(rest).group())
    if _SELF_REPORT.match(match.group(0)) or _OWN_CLAUSE.match(rest):
        # "I'm okay, a little tired but good", "thanks, it's been a crazy week": how the writer
        # is, not a jab
        return False
    # "no problem at all": a sore word under a "no" is not a sting.
    return any(
        w in said
        or (_valence(w) < 0 and w not in _NEGATION and (i == 0 or words[i - 1] not in _NEGATION))
        for i, w in enumerate(words)
    )


_OWN_SENTENCE = re.compile(r"[^.!?\n]*")
# Words of an acknowledgement that say nothing when said again: "it was nice seeing you, hope
# the drive home was ok" repeats "was", not "nice".
_NOT_ECHOED = frozenset(
    {"you", "u", "hey", "hi", "oh", "it", "was", "is", "to", "so", "really", "i", "i'm", "a"}
    | {"the", "that", "for", "with", "me", "am", "are", "be", "of", "and"}
)
_THANKS = re.compile(r"\b(?:thanks|thank (?:you|u)|thx|ty)\b")
_SELF_REPORT = re.compile(
    r"\W*(?:(?:hey|hi|hello|oh|ok|okay)\W+)?(?:i'?m|i am|im|i'?ve been|i have been|ive been)\b"
)
_HABIT_STING = re.compile(
    r"\b(?:me|my|late|wait|waiting|forget|forgetting|cancel+ing|ignoring|last minute|bailing"
    r"|flaking|leaving|nothing)\b"
)
_FOR_ALWAYS = re.compile(r"^(\W*for )(always)\b(?= [a-z]+ing\b)")


def jab(reading: Reading) -> bool:
    """True when the draft opens with an acknowledgement or praise that the rest turns into a
    jab ("great, another excuse", "sure, like you always do"): its warm words are not a
    light tone."""
    match = _reply(reading) or patterns().praise.match(reading.text)
    if match is None or ("sympathy" in match.re.groupindex and match.group("sympathy")):
        return False
    return _stings(reading.text, match)


# A word said again with "really" in front: "cute. really cute.", "nice, real nice".
_ECHO = re.compile(r"^\W*([a-z]+)\W+(?:real|really|very|so) \1\W*$")


def jab_hit(reading: Reading) -> Hit | None:
    """Return the opening sentence as an ``insult`` when its warm words set up a jab ("sure,
    like you always do", "nice of you to finally reply"), or None."""
    echo = _ECHO.match(reading.text)
    if echo and _valence(echo.group(1)) > 0:  # "cute. really cute.": flatter the second time
        return Hit("insult", echo.start(1), echo.end(), message=_SARCASM)
    match = _reply(reading) or patterns().praise.match(reading.text)
    if match is None or ("sympathy" in match.re.groupindex and match.group("sympathy")):
        return None
    # Only a plain sting in the same sentence: a sad word later ("which is chaos") makes the
    # reply less light, not a dig.
    start, end = reading.sentences[0]
    rest = reading.text[match.end() : end]
    said = set(_WORD.findall(match.group(0))) - _NOT_ECHOED
    if patterns().jab_sting.search(rest) or any(w in said for w in _WORD.findall(rest)):
        return Hit("insult", start, end, message=_SARCASM)
    return None


def sympathy(reading: Reading) -> bool:
    """True when the draft opens with sympathy for him ("oh no, that's too bad"): its sad
    words are about his news, not the writer's mood."""
    match = _reply(reading)
    return bool(match and match.group("sympathy"))


def _reply(reading: Reading) -> re.Match[str] | None:
    p = patterns()
    if not reading.sentences or p.reply_not.search(reading.text):
        return None
    start, end = reading.sentences[0]
    if len(reading.sentences) > 1 and _GREETING_ONLY.fullmatch(reading.text, start, end):
        end = reading.sentences[1][1]  # "Hey! Yes I'm doing well": the reply follows a hello
    # From 0, not from the sentence: "^" holds only there; what comes before is blank.
    return p.reply.match(reading.text, 0, end)


_GREETING_ONLY = re.compile(r"\W*(?:hey+|hi+|hello|hiya|heya|oh|ah+|ooh?)\W*")


def own_news_hit(reading: Reading) -> Hit | None:
    """Return the first sentence that shares what the writer is doing and says nothing of him
    ("just working and preparing for exams"), or None."""
    p = patterns()
    lexicon = tone.lexicon()
    for start, end in reading.sentences:
        sentence = reading.text[start:end]
        news = p.own_news.search(sentence)
        if news is None or re.search(r"\b(?:you|u|your|ur)\b", sentence):
            continue
        # "just crying a lot" or "been struggling" is not news, it is how you feel.
        if any(lexicon.get(w, 0.0) < 0 for w in _WORD.findall(news.group())):
            continue
        if tone.compound(sentence) <= _HEAVY:
            continue
        return Hit("own_news", start, end)
    return None


# As heavy as the review's negative_tone bar: news told in these words is a hard day.
_HEAVY = -0.5


def practical_shared(hits: list[Hit], reading: Reading, practical: bool) -> list[Hit]:
    """Return ``hits`` without the relationship hits on words a practical text uses plainly.

    "Both of us need to sign the slip by Friday": "both of us" in a sentence that arranges
    something is the two parents, not the couple. "Our house sold! Closing is on the 15th":
    the house, the divorce papers, in a text that is ``practical`` (it has logistics), are
    things to sort out. Feelings about them ("I miss our house") are another rule's.
    """
    p = patterns()
    out = []
    for hit in hits:
        quote = reading.text[hit.start : hit.end]
        if hit.rule == "relationship" and p.shared_practical.fullmatch(quote):
            sentence = next(
                (reading.text[a:b] for a, b in reading.sentences if a <= hit.start < b), ""
            )
            arranged = p.chore.search(sentence) or p.handover.search(sentence)
            if arranged or (practical and p.shared_things.fullmatch(quote)):
                continue
        out.append(hit)
    return out


def logistics_hit(reading: Reading) -> Hit | None:
    """Return a sentence that arranges something practical at a time, or None."""
    p = patterns()
    for start, end in reading.sentences:
        sentence = reading.text[start:end]
        when = p.when.search(sentence)
        chore = p.chore.search(sentence)
        if when and chore:
            a, b = min(when.start(), chore.start()), max(when.end(), chore.end())
            return Hit("logistics", start + a, start + b)
        handover = p.handover.search(sentence)
        if handover:
            return Hit("logistics", start + handover.start(), start + handover.end())
    return None
