"""One parse of a text that every reader shares: sentences, who is speaking, and what is over.

The readers look for signs of the *writer's* crisis and of harm done *to the writer*. Words in
the same text that belong to someone else must not count as the writer's:

- **quoted speech**: ``He said "I can't do this anymore" and walked out`` is his line;
- **reported speech**: ``my friend told me she wanted to die`` is the friend's;
- **other people**: ``my sister tried to kill herself last year`` is the sister's story;
- **the writer's past that is over**: ``years ago I self-harmed, but therapy helped``.

``views(text)`` returns copies of the text of the same length in which those parts are blanked
out (replaced by spaces), one copy per question asked of it. Because every character keeps its
place, a span found in a view is a span of the original, and evidence quotes stay exact.

What the partner says stays in the abuse view: his words are how threats and put-downs are
told ("he said if I left he'd make sure I never saw my kids again").

Why not a sentence-splitting library: the ones tried (blingfire) do not split the lowercase,
unpunctuated writing people type on a phone ("he left. i cant do this"), which is most of
what this product reads; the split needed here is simple and is done with one regex.

Pure: no I/O, no clock. ASCII letters are lowercased in every view (see ``fold``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = [
    "CLAUSE_BREAK",
    "SENTENCE_BREAK",
    "Speech",
    "Views",
    "expand",
    "fold",
    "sentences",
    "speech",
    "straighten",
    "substitute",
    "views",
]

# The clean-up every reader shares (safety, story, draft review, durations) lives here, once.
#
# Curly apostrophes and quotes become straight: one character for one character, so spans found
# in the cleaned copy are spans of the original.
_STRAIGHT = {
    "\u2019": "'",
    "\u2018": "'",
    "\u02bc": "'",
    "\u2032": "'",
    "\uff07": "'",
    "\u201c": '"',
    "\u201d": '"',
}
_STRAIGHTEN = str.maketrans(_STRAIGHT)
# ... and ASCII capitals lowercase (case-sensitive regexes are about four times faster than
# IGNORECASE ones, so the readers match lowercase patterns against a folded copy).
_FOLD = str.maketrans(_STRAIGHT | {chr(c): chr(c + 32) for c in range(ord("A"), ord("Z") + 1)})
# Where a sentence or a clause starts when looking around a phrase: sentence punctuation, a line
# break, or (for a clause) a turn such as "but".
SENTENCE_BREAK = re.compile(r"[.!?\n]")
CLAUSE_BREAK = re.compile(r"[.!?;:\n]|\b(?:but|however|although|though|yet)\b")
# ``{name}`` in a lexicon pattern: a macro, defined once in the same data file.
_MACRO = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
# A sentence ends at . ! ? (and runs of them, with closing quotes or brackets) before a space,
# or at a line break. Lowercase starts count: people rarely capitalise on a phone.
_SENTENCE_END = re.compile(r"""[.!?…]+["')\]]*(?=\s)|\n+""")
_WORD = re.compile(r"[a-z0-9']+")

# Verbs that introduce someone's words, in the forms people write ("he goes", "she was like").
_SAYS = (
    r"(?:(?:said|says|say)(?!\s+(?:hi|hello|hey|bye|goodbye|good ?night|thanks)\b)|"
    r"told|tells|tell|texted|texts|wrote|writes|messaged|posted|admitted|"
    r"confessed|mentioned|claimed|claims|explained|yelled|screamed|shouted|asked|asks|"
    r"replied|replies|answered|insisted|swore|promised|announced|warned|threatened|"
    r"whispered|cried|was like|is like|keeps saying|kept saying|would say|typed|read|"
    # "went" and "reads" report words only before a quote ("he went 'no way'", "the sign
    # reads 'closed'"), otherwise they are going and reading ("since she went I...", "it
    # went smoothly"); "goes" is not speech before where or how something goes ("the house
    # goes silent", "it goes well").
    r"(?:went|reads)(?=\s*:?\s*(?:like\s+)?[\"'])|goes(?!\s+(?:really\s+|so\s+|pretty\s+|very\s+)?"
    r"(?:quiet|silent|mad|cold|off|out|back|to|through|into|on|up|down|away|home|missing|red|"
    r"white|pale|still|wrong|round|around|past|over|well|smoothly|great|fine|ok|okay|alright|"
    r"badly|right|good|for|ahead|by|with|viral)\b)|"
    r"types|sang|sings|tweeted|"
    r"used to say|called me and said|opened up|revealed|shared)"
)
# Who a reporting verb's subject is. The nearest of these before the verb decides.
_WRITER = frozenset({"i", "im", "i'm", "id", "i'd", "ive", "i've", "we"})
_PARTNER = frozenset(
    {
        "he",
        "she",
        "they",
        "hed",
        "he'd",
        "shed",
        "she'd",
        "you",
        "u",
        "ex",
        "boyfriend",
        "girlfriend",
        "bf",
        "gf",
        "husband",
        "wife",
        "partner",
        "fiance",
        "fiancé",
        "fiancee",
        "spouse",
        "hubby",
    }
)
_OTHER = frozenset(
    {
        "mom",
        "mum",
        "mother",
        "dad",
        "father",
        "parents",
        "brother",
        "sister",
        "friend",
        "friends",
        "bestie",
        "roommate",
        "coworker",
        "colleague",
        "boss",
        "therapist",
        "counselor",
        "counsellor",
        "doctor",
        "cousin",
        "aunt",
        "uncle",
        "son",
        "daughter",
        "someone",
        "everyone",
        "people",
        "grandma",
        "grandpa",
        "neighbor",
        "neighbour",
        "teacher",
        "pastor",
        "nurse",
        "sibling",
        "family",
    }
)
# "my friend" is another person, but "my ex's friend" or a possessive "his mom" too; the
# nearest noun or pronoun before the verb is what counts.
_REPORTED = re.compile(
    rf"\b(?P<verb>{_SAYS})(?:\s+(?:me|us|him|her|them|everyone|people))?(?:\s+that)?\s+"
    r"(?P<content>[^.!?;\n]+)"
)
_QUESTION_ASKED = re.compile(r"tell\s+me\s+(?:why|how|what|whether|one reason|a reason)\b")
# Where reported content stops early: a turn to the writer's own words ("..., but I ...").
_CONTENT_STOP = re.compile(r"\b(?:but|and then|and now|so now|because i|and i)\b")
# Double quotes (curly ones are folded to straight), and single quotes that clearly open and
# close (not the apostrophe in "don't" or "kids'").
_QUOTE = re.compile(r""""[^"\n]{1,600}"|(?<![\w'])'(?=\S)[^'\n]{2,300}(?<=\S)'(?![\w'])""")
_SAYS_WORD = re.compile(rf"\b{_SAYS}\b")
_AFTER_QUOTE = re.compile(rf"\s*,?\s*(?P<who>(?:my\s+)?[a-z']+)\s+{_SAYS}\b")

# The writer's past that is over: a past marker and, in the same or the next sentence, a sign
# that it is behind them. A past marker alone is still the writer's story (it counts).
_PAST = re.compile(
    r"\b(?:years ago|a long time ago|long ago|in the past|back then|back in (?:\d{4}|the day)|"
    r"when i was (?:younger|a kid|a teen(?:ager)?|a child|little|in (?:high school|college|"
    r"middle school|my teens|my twenties)|\d+)|in (?:high school|college|my teens)|"
    r"as a teen(?:ager)?|used to|for a while|at (?:uni|university|school|college)|back when|"
    r"after my (?:divorce|first|last|old)|(?:\d+|two|three|four|five|ten) years (?:out|clean|"
    r"free|ago)|years back|forever ago|ages ago|once|"
    r"at (?:\d{2}|sixteen|seventeen|eighteen|nineteen|twenty)|"
    r"in (?:19|20)\d\d|in the (?:\d0s|[a-z]+ties)|in my (?:early |late |mid )?(?:teens|twenties|"
    r"thirties)|past me|the old me|there was a time|i remember (?:thinking|feeling|wanting|when)|"
    r"got me out of|in school|when my (?:[a-z]+ ){0,2}(?:marriage|relationship|engagement) ended|"
    r"(?:this time|around this time) last year)\b"
)
_RECOVERED = re.compile(
    r"\b(?:therapy (?:really )?helped|(?:got|getting|sought|found) (?:the )?help|recovered|"
    r"in recovery|(?:i'?m|i am|i feel) (?:doing )?(?:much |a lot )?(?:ok|okay|fine|better|good|"
    r"well|safe)(?: now| these days| today)|doing (?:much |a lot )?better now|"
    r"haven'?t (?:[a-z']+ ){0,4}(?:in|for) (?:over |more than )?(?:a year|years|months|a long "
    r"time|ages|\d+ (?:years|months))|"
    r"(?:years|months) clean|clean for|that'?s (?:all )?behind me|behind me now|"
    r"(?:meds|medication|treatment) (?:really )?helped|(?:i'?m|i am) in a (?:much )?better place|"
    r"not anymore|no longer (?:feel|want|think|do|self)|made it through|survived that|"
    r"nowadays|these days|now i'?m a|can feel the difference|"
    # A present that is plainly different: an age now, a better place, "this time is not that".
    r"(?:i'?m|i am|im) (?:\d{2}|[a-z]+ty(?:-[a-z]+)?) now|"
    r"(?:i'?m|i am|im|been) (?:so |much |so much |a lot |way )?(?:happier|better|fine|okay|ok|"
    r"safe|solid|healthy|good)(?: (?:now|these days|for (?:years|ages|a long time|\w+ years)))|"
    r"in (?:a|the) (?:way |much |so much |really )?(?:better|best|good|great) place|"
    r"(?:this|the) (?:time|one|breakup|divorce|relationship) (?:is|feels|was|ended) "
    r"(?:totally |completely |really |so |very |a )?"
    r"(?:different|nothing like|not like|pretty amicabl|amicabl|fine|sad|hard but)|"
    # Out of it, and saying so: "I'm fully out and safe now", "not in any danger".
    r"(?:i'?m|im|i am) (?:fully |completely |totally |well and truly |finally )?(?:out|free)"
    r"(?: of (?:it|there|that|him|her))?(?: and (?:safe|happy|fine|okay|ok|well))?"
    r"(?= now|[.!,;]|$)|not in any danger|"
    r"(?:so far|long|well) behind me|long gone(?: now)?|"
    r"feels like a (?:film|movie|lifetime ago|different life)|"
    r"nothing like (?:that|then|it was)|this (?:[a-z]+ )?(?:isn'?t|is not) (?:it|that)|"
    r"(?:therapy|meds|medication|treatment|my therapist)(?: [a-z']+){0,3} "
    r"(?:sorted me out|changed everything|saved me|got me through)|"
    r"never (?:gone|went) back|(?:that|it) was (?:\d+|[a-z]+) (?:years|decades) ago|"
    r"that was (?:in )?(?:19|20)\d\d|that was (?:forever|ages|a long time|years) ago|"
    r"took (?:me )?(?:years|a long time|ages|a while) to (?:heal|recover|get over)|"
    r"glad i (?:stayed|survived|didn'?t|am still here|'m still here)|"
    r"(?:been )?out of my life|(?:good|great|happy|healthy) relationship now|"
    r"(?:husband|wife|partner|boyfriend|girlfriend) now is|out for (?:\d+|[a-z]+) years|"
    r"split (?:\d+|[a-z]+) years ago|(?:\d+|[a-z]+) years? out from|"
    # Life going on since: an occupation now, getting through, "past me would have...".
    r"(?:i'?m|im|i am) (?:a|an) [a-z]+(?: [a-z]+)? now|now i (?:wake up|want to live|"
    r"know|have|love|enjoy|feel)|i want to live|(?:i |we )?got through (?:it|that)|"
    r"(?:start|beginning) of getting better|started getting better|grateful (?:every day )?"
    r"(?:that )?i (?:survived|am alive|'m alive|'m still here|am still here)|healthier ways|"
    r"better ways to cope|(?:[a-z]+ ){0,3}behind me|"
    r"i'?ll get through this|how far i'?ve come|past me|i know how to ask for help|"
    r"made (?:my )?peace|(?:i'?m|im|i am) (?:remarried|happily married|safe)\b|"
    r"in a (?:really |very )?safe place|doing (?:really )?well|not a problem now|"
    r"doesn'?t haunt me|done the work|rarely think about (?:it|him|her)|"
    r"(?:not|never) going back|free of it|my life is (?:so |really |very )?(?:calm|good|great|"
    r"peaceful|happy|stable|better)|wonder(?:ed)? what (?:ever )?happened to (?:him|her|them)|"
    r"(?:i'?m|im|i am) (?:married|engaged) to someone(?: [a-z]+)? now|"
    r"i'?m alive(?=,)|i'?m alive and (?:well|ok|okay|fine|good)|that was the depression)\b"
)
# A sign that it is back overrides any "clean for two years": "I've started hurting myself again
# after two years clean", "relapsed", "broke that promise".
_RELAPSE = re.compile(
    r"\b(?:relaps\w*|(?:started|starting|begun|began|been|am|i'?m|was|doing|at) (?:[a-z']+ ){0,3}"
    r"again|again (?:tonight|today|last night|this week|since)|broke (?:that|my|the) (?:promise|"
    r"streak)|undid (?:all of )?(?:it|that)|threw (?:it|that) (?:all )?away|clean,? gone)\b"
)
# For abuse the past counts as over only at a distance in time or with someone else now:
# "he used to hit me; I left and I'm doing better now" is still the ex's abuse.
_LONG_OVER = re.compile(
    r"\b(?:(?:that|it) was (?:\d+|[a-z]+) (?:years|decades) ago|that was (?:in )?(?:19|20)\d\d|"
    r"that was (?:forever|ages|a long time|years) ago|out for (?:\d+|[a-z]+) years|"
    r"split (?:\d+|[a-z]+) years ago|(?:good|great|happy|healthy) relationship now|"
    r"(?:husband|wife|partner|boyfriend|girlfriend) now is|nothing like (?:that|then|it was)|"
    r"(?:this|the) (?:one|breakup|divorce|relationship) (?:is|was|ended) (?:different|"
    r"nothing like|not like|pretty amicabl|amicabl)|in the (?:\d0s|[a-z]+ties)|"
    r"took (?:me )?(?:years|a long time|ages) to (?:heal|recover|get over)|"
    # A date or a distance that puts it years back, or a life plainly rebuilt since.
    r"(?:in|since|back in|ended in|divorced in|left (?:him |her )?in|got out in) (?:19|20)\d\d|"
    r"(?:over |more than |almost |nearly )?(?:\d+|two|three|four|five|six|seven|eight|nine|ten|"
    r"many|several|twenty|thirty|forty)(?: odd)? (?:years|decades) ago|(?:years|decades) ago|"
    r"over a decade|(?:it'?s|its|it has) been (?:over |more "
    r"than )?(?:\d+|[a-z]+) years|in my (?:teens|twenties|thirties)|long (?:behind me|ago)|"
    r"when i was (?:\d+|young|younger|a teenager)|(?:i'?m|im|i am) (?:remarried|happily married)|"
    r"never (?:heard from|bothered|contacted) (?:him|her|me|them)|(?:he|she) died|"
    r"(?:i'?m|im|i am) \d{2} now|a decade|(?:so far|well) behind me|long gone(?: now)?|"
    r"feels like a (?:film|movie|lifetime ago|different life)|"
    r"(?:he'?s|she'?s|he has|she has) (?:done time|been to prison|remarried)|got a caution|"
    r"not (?:heard from|seen) (?:him|her|them) in (?:\d+|[a-z]+) years|"
    r"wonder(?:ed)? what (?:ever )?happened to (?:him|her|them))\b"
)
# Crisis as a subject of study, media or a cause ("an essay on suicide prevention", "a novel
# where the narrator self harms", "a charity run for suicide prevention"): a topic, not the
# writer's own sign. Only the topic words are blanked; the rest of the sentence is still read.
_TOPIC = re.compile(
    r"\b(?:(?:suicide|self[- ]?harm) (?:prevention|awareness|rates?|statistics|stats|risk|"
    r"hotline|helpline|charity|campaign|research|crisis line)|"
    r"(?:training|documentary|course|module|stat|statistic|article|section|leaflet|talk|"
    r"reading|read|podcast|book|video|thread) (?:on|about) (?:[a-z]+ )?(?:domestic (?:abuse|"
    r"violence)|coercive control|gaslighting|narcissistic abuse|abusive relationships?)|"
    r"(?:domestic (?:abuse|violence)|coercive control|gaslighting) (?:plot|storyline|episode|"
    r"documentary|training|course)|"
    r"(?:essay|lecture|lesson|class|course|module|section|campaign|research|reading|paper|"
    r"stats|statistics|article|documentary|book|training|assignment|workshop|seminar|chapter|"
    r"talk|podcast|dissertation|thesis|poster|leaflet)(?: [a-z]+){0,6} (?:about|on|around|into|"
    r"regarding|to) (?:[a-z]+ ){0,2}(?:suicide|self[- ]?harm(?:ing)?|suicidal (?:ideation|"
    r"thoughts|clients|patients))|trigger warning (?:for|about) [a-z ]{0,20}|"
    r"(?:died|dies|die|lost (?:[a-z]+ ){1,2}|losing (?:[a-z]+ ){1,2}) (?:by|to|from) suicide|"
    r"(?:documentary|film|movie|show|series|episode|novel|book|poem|song|lyric|podcast|article|"
    r"essay|dissertation|story|play|character|narrator) (?:about|where|in which|on|that)"
    # ...up to where the writer speaks again ("a film about a breakup and now I...").
    r"(?:(?!\b(?:and|but|so|now|then|because|i|im|i'm|made me)\b)[^.;!?\n]){0,80})"
)
# A hypothetical about the writer ("if I ever felt suicidal, who do I call?") is a question, not
# a sign: the condition itself is blanked in the crisis view, up to where its answer starts.
# The answer stays ("if I ever see him again I'll kill myself" is a sign).
_HYPOTHETICAL = re.compile(
    r"\b(?:if|in case|when) i (?:ever|was ever|were ever|ever do)\b[^,.;!?\n]{0,80}?"
    r"(?=,|\bwho\b|\bwhat\b|\bi'?d\b|\bi would\b|\bi will\b|\bi'?ll\b|\bis there\b|"
    r"\bhow\b|[.;!?\n]|$)"
)


@dataclass(frozen=True, slots=True)
class Speech:
    """Words in the text that someone says: ``start``/``end`` of the words themselves, and
    ``speaker``: "writer", "partner", "other" or "unknown" (no reporting verb found)."""

    start: int
    end: int
    speaker: str


@dataclass(frozen=True, slots=True)
class Views:
    """The folded text and the same text with other voices blanked, for each question.

    ``crisis``: only the writer's own words about themself now (others' speech, others'
    sentences and the writer's recovered past blanked). ``abuse``: the writer's words and the
    partner's (other people's speech and sentences about other people blanked).
    ``sentences``: (start, end) of each sentence, trimmed of spaces.
    """

    folded: str
    crisis: str
    abuse: str
    sentences: tuple[tuple[int, int], ...]


def fold(text: str) -> str:
    """Return ``text`` with straight quotes and lowercase ASCII letters, the same length."""
    return text.translate(_FOLD)


def straighten(text: str) -> str:
    """Return ``text`` with straight quotes and apostrophes, case kept, the same length."""
    return text.translate(_STRAIGHTEN)


def substitute(pattern: str, macros: Mapping[str, str], levels: int = 3) -> str:
    """Replace each ``{name}`` in ``pattern`` by its macro; macros may use macros, ``levels`` deep.

    A name with no macro is a mistake in the data file, so it raises ``KeyError`` at load.
    """
    for _ in range(levels):
        if "{" not in pattern:
            break
        pattern = _MACRO.sub(lambda m: macros[m.group(1)], pattern)
    return pattern


def expand(pattern: str, macros: Mapping[str, str]) -> str:
    """Turn a lexicon's readable notation into a regular expression.

    ``{name}`` becomes its macro, an apostrophe becomes optional ("dont" matches "don't"), a
    space becomes ``\\s+`` (people type two spaces, or a line break, between words), and a
    space made optional (" ?": "break ?up" for "breakup" and "break up") becomes ``\\s*``.
    """
    pattern = substitute(pattern, macros)
    pattern = re.sub(r"'(?!\?)", "'?", pattern)
    # Before the plain spaces: " ?" read as "\s+?" would still demand a space.
    return pattern.replace(" ?", r"\s*").replace(" ", r"\s+")


def sentences(folded: str) -> list[tuple[int, int]]:
    """Return (start, end) of each sentence of ``folded`` text, spaces trimmed, none empty."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(folded):
        spans.append((start, m.end()))
        start = m.end()
    spans.append((start, len(folded)))
    out = []
    for a, b in spans:
        piece = folded[a:b]
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece) - len(piece.rstrip())
        if b - trail > a + lead:
            out.append((a + lead, b - trail))
    return out


def speech(folded: str) -> list[Speech]:
    """Return the quoted and reported words of ``folded`` text with their speaker.

    Quotes take their speaker from a reporting verb just before ("he said 'x'") or just after
    ("'x', he said"). Reported speech runs from the verb's object to the end of its clause.
    """
    found: list[Speech] = []
    quoted: list[tuple[int, int]] = []
    for m in _QUOTE.finditer(folded):
        inner = (m.start() + 1, m.end() - 1)
        quoted.append((m.start(), m.end()))
        found.append(Speech(*inner, _quote_speaker(folded, m.start(), m.end())))
    for m in _REPORTED.finditer(folded):
        start = m.start("content")
        if any(a <= start < b for a, b in quoted) or folded[start] == '"':
            continue
        content = folded[start : m.end("content")]
        if _QUESTION_ASKED.match(folded, m.start()):
            # "can someone tell me why I should stay": a question the writer asks, not words
            # someone else says.
            continue
        stop = _CONTENT_STOP.search(content)
        end = start + (stop.start() if stop else len(content))
        found.append(Speech(start, end, _speaker_before(folded, m.start())))
    return found


_NO_CONTACT = re.compile(r"\b(?:no[\s-]contact|nc)\b")
_STREAK = re.compile(
    r"\b(?:relaps(?:e|es|ed|ing)|clean|streak|day (?:one|1|zero|0)"
    r"|(?:back )?to (?:day )?(?:one|1|zero|0))\b"
)


def views(text: str) -> Views:
    """Return the folded text and its crisis and abuse views (see ``Views``).

    Not cached: the texts are people's private words (drafts, notes, stories), and a cache
    would keep the last ones in memory after their request; one reading costs well under a
    millisecond, and each caller reads a text once.
    """
    folded = fold(text)
    spans = tuple(sentences(folded))
    crisis = bytearray(folded, "utf-32-le")  # one 4-byte cell a character: easy to blank
    abuse = bytearray(crisis)
    for s in speech(folded):
        if s.speaker in {"partner", "other"}:
            _blank(crisis, s.start, s.end)
        if s.speaker == "other":
            _blank(abuse, s.start, s.end)
    for i, (a, b) in enumerate(spans):
        sentence = folded[a:b]
        about = sentence_subject(sentence)
        if about == "other":
            _blank(crisis, a, b)
            _blank(abuse, a, b)
        elif about == "partner":
            _blank(crisis, a, b)
        if _PAST.search(sentence) and _over(folded, spans, i):
            _blank(crisis, a, b)
            if any(_LONG_OVER.search(folded, x, y) for x, y in spans[i : i + 2]):
                _blank(abuse, a, b)
    for m in _HYPOTHETICAL.finditer(folded):
        _blank(crisis, m.start(), m.end())
    for m in _TOPIC.finditer(folded):
        _blank(crisis, m.start(), m.end())
        _blank(abuse, m.start(), m.end())
    if _NO_CONTACT.search(folded):
        # A no-contact count borrows recovery's words: "30 days clean, then I relapsed".
        for m in _STREAK.finditer(folded):
            _blank(crisis, m.start(), m.end())
    return Views(
        folded=folded,
        crisis=crisis.decode("utf-32-le"),
        abuse=abuse.decode("utf-32-le"),
        sentences=spans,
    )


def _blank(cells: bytearray, start: int, end: int) -> None:
    cells[start * 4 : end * 4] = " ".encode("utf-32-le") * (end - start)


def _over(folded: str, spans: tuple[tuple[int, int], ...], i: int) -> bool:
    """True when sentence ``i``'s hard time is behind the writer and not said to be back."""
    # The relapse may be told just before or after ("I relapsed. Two years clean and...").
    a, b = spans[max(0, i - 1)][0], spans[min(len(spans) - 1, i + 1)][1]
    return _recovered(folded, spans, i) and not _RELAPSE.search(folded, a, b)


def _recovered(folded: str, spans: tuple[tuple[int, int], ...], i: int) -> bool:
    """True when sentence ``i`` or one of the next two says the hard time is behind the writer."""
    return any(_RECOVERED.search(folded, a, b) for a, b in spans[i : i + 3])


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _kind(word: str) -> str | None:
    if word in _WRITER:
        return "writer"
    if word in _PARTNER:
        return "partner"
    if word in _OTHER:
        return "other"
    return None


# The words for a partner that can belong to someone else: "his ex", "my flatmate's boyfriend".
_PARTNER_NOUNS = frozenset(
    _PARTNER - {"he", "she", "they", "hed", "he'd", "shed", "she'd", "you", "u"}
)


def _kind_at(words: list[str], i: int) -> str | None:
    """Return the kind of ``words[i]``, where a partner word owned by someone else ("his ex",
    "her husband", "my sister's boyfriend") is another person, not the writer's partner."""
    kind = _kind(words[i].removesuffix("'s"))
    if kind == "partner" and words[i] in _PARTNER_NOUNS and i > 0:
        before = words[i - 1]
        if before in {"his", "her", "their"} or (before.endswith("'s") and before != "let's"):
            return "other"
    return kind


def _speaker_before(folded: str, verb_at: int) -> str:
    """Return who says the words reported at ``verb_at``: the nearest subject before it."""
    lo = max(0, verb_at - 80)
    window = folded[lo:verb_at]
    cut = max(window.rfind(c) for c in ".!?;\n,")
    words = _words(window[cut + 1 :])[-4:]
    for i in range(len(words) - 1, -1, -1):
        if words[i] in _LISTENERS and i + 1 < len(words) and words[i + 1] in {"and", "to"}:
            # "call her and tell her...", "text him to say sorry": the one spoken to, not the
            # speaker (the writer is, unnamed).
            continue
        kind = _kind_at(words, i)
        if kind:
            return kind
        if words[i] in _MESSAGES and i == len(words) - 1:
            # "the last text said...", "a voicemail saying...": in a breakup story a message
            # the writer got is the partner's unless someone else is named ("my note said").
            return "writer" if i > 0 and words[i - 1] == "my" else "partner"
        # "the girl says", "a sign reads", "someone in the group chat typed": a thing or a
        # person named by a noun who is neither the writer nor the partner.
        if i > 0 and words[i - 1] in _DETERMINERS and words[i] not in {"and", "to"}:
            return "other"
    return "unknown"


_LISTENERS = frozenset({"him", "her", "them"})
_MESSAGES = frozenset({"text", "message", "voicemail", "email", "dm", "note", "card", "letter"})


def _quote_speaker(folded: str, start: int, end: int) -> str:
    """Return who says the quote at ``start:end``: a reporting verb before it or after it."""
    before = folded[max(0, start - 60) : start]
    cut = max(before.rfind(c) for c in ".!?;\n")
    before = before[cut + 1 :]
    verbs = list(_SAYS_WORD.finditer(before))
    if verbs:
        verb = verbs[-1]
        return _speaker_before(before, verb.start())
    if _QUOTED_WORK.search(before):
        return "other"
    if _QUOTED_MESSAGE.search(before):
        # Someone's message to the writer: the partner's words as a rule in a breakup story.
        return "partner"
    after = _AFTER_QUOTE.match(folded, end)
    if after:
        return _kind(after.group("who").split()[-1]) or "unknown"
    if _ADDRESSED.search(folded, start, end):
        # Words said *to* someone with no one named as saying them: in a story of a breakup,
        # a line quoted at the writer ('"If you leave, I'll kill myself." "You aren't that
        # pretty."') is the partner's, and its "I" is not the writer.
        return "partner"
    return "unknown"


_ADDRESSED = re.compile(r"\b(?:you|your|you're|youre|yourself|u|ur)\b")


# Words that name what a quote is when no one is said to say it: a lyric, a poem, a title
# (someone else's words); a message sent to the writer ("her last text was '...'").
# ...named at most three words before the quote opens.
_NAMES_THE_QUOTE = r"\b[^a-z]*(?:[a-z']+[^a-z]*){0,3}$"
_QUOTED_WORK = re.compile(
    r"\b(?:lyrics?|song|poem|line|title|caption|sign|slogan|quote|sings?|singing|sang|goes|"
    r"tweet|post)" + _NAMES_THE_QUOTE
)
_QUOTED_MESSAGE = re.compile(
    r"\b(?:text was|message was|words were|last words|exact words)" + _NAMES_THE_QUOTE
)

_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "some", "his", "her", "their", "our"})
# The words that show a sentence is about the writer: any of them keeps it the writer's.
_FIRST_PERSON = frozenset(
    {"i", "im", "i'm", "ive", "i've", "id", "i'd", "ill", "i'll", "me", "my", "myself", "mine"}
)


_IMPERATIVES = frozenset({"stop", "quit", "leave", "give", "please", "pls", "don't", "dont"})


def sentence_subject(sentence: str) -> str:
    """Return "other" or "partner" for a sentence wholly about someone else, else "writer".

    A sentence is someone else's when it opens with them as subject ("my sister tried...",
    "he wants to die") and never mentions the writer as a subject or object ("i", "me");
    "my" alone does not count, since "my sister" is the sister. Sentences with no subject
    ("can't do this anymore") are the writer's.
    """
    words = _words(sentence)
    if not words:
        return "writer"
    for i, w in enumerate(words):
        if w in _FIRST_PERSON:
            # "my sister" names the sister; "my body", "my life", "my things" are the writer's.
            after = words[i + 1] if i + 1 < len(words) else ""
            if w in {"my", "mine"} and (_kind(after.removesuffix("'s")) or after.endswith("'s")):
                continue
            return "writer"
    if words[0] in _IMPERATIVES:
        # "Stop texting my sister.": said to someone by the writer, not about the sister.
        return "writer"
    head = words[:4]
    for i, word in enumerate(head):
        kind = _kind_at(head, i)
        # "you" in a sentence of its own is often everyone ("nice knowing you all").
        if kind is None or word in {"you", "u"}:
            continue
        if kind == "writer":
            return "writer"
        # "my friend" / "his mom" / "the ex": the noun right after a determiner is the subject.
        if i == 0 or head[i - 1] in {"my", "his", "her", "their", "our", "the", "a", "your"}:
            return kind
        return kind
    return "writer"
