"""Step 4: the gates, the readiness check, the first-text composer with live review, and the
conversation log once talking again. On the move-on path, step 4 is closure instead.

Nothing here ever sends a message: drafts are reviewed and stay on the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from secondchance.analysis import review as review_draft
from secondchance.analysis import safety
from secondchance.analysis.draft import Finding, Review
from secondchance.clock import zone
from secondchance.models import Conversation, Profile, ReadinessCheck, User
from secondchance.program.history import History
from secondchance.program.plan import Status
from secondchance.program.progress import Gate, readiness_passed
from secondchance.program.steps import (
    CLOSURE_STEP,
    PROTECTION_STEPS,
    READINESS_QUESTIONS,
    STEPS,
    words_for,
)
from secondchance.services import safety_state
from secondchance.services import validate as v
from secondchance.services.entries import can_undo
from secondchance.services.errors import InputError
from secondchance.services.people import owned
from secondchance.services.reconnect import log_conversation, take_readiness_check
from secondchance.services.replies import conversation_reply
from secondchance.services.status import standing
from secondchance.web.deps import (
    DB,
    ApiUser,
    CurrentProfile,
    CurrentUser,
    Now,
    csrf_protect,
    page_person,
)
from secondchance.web.forms import checkbox, form_error
from secondchance.web.routes._reply import ReplyOut as LoggedReplyOut
from secondchance.web.routes._reply import reply_out
from secondchance.web.routes.memories import SafetyOut
from secondchance.web.templating import is_htmx, offer, page, redirect

router = APIRouter(dependencies=[Depends(csrf_protect)])
api = APIRouter(tags=["step 4"])

# A draft can be long (the review itself says so); this only stops a runaway paste.
DRAFT_MAX = v.LIMITS["draft"]
NOTE_MAX = v.LIMITS["conversation_note"]

VERDICTS = {
    "send": "Good to send, when you're ready.",
    "revise": "Worth another look before you send it.",
    "dont_send": "Don't send this one.",
}

# Findings about the draft as a whole (its length, a missing memory, a flat tone) are listed,
# not highlighted: marking every word would hide the marks that point at something.
WHOLE_DRAFT_RULES = frozenset({"short", "no_memory", "flat", "empty"})
# Crisis and abuse words are never marked as a "problem": the safety box answers them.
SAFETY_RULES = frozenset({"crisis", "abuse"})

# An honest, warm reply to each "not yet" in the readiness check, with {words} placeholders,
# and where to go next (a link and its words), if anywhere.
Link = tuple[str, str] | None
NOT_YET_REPLIES: dict[str, tuple[str, Link]] = {
    "see_without_breaking_down": (
        "Thank you for being honest. Seeing {ex} can wait until it feels calm; that calm grows "
        "in the steps you're already taking, and there's no deadline.",
        None,
    ),
    "okay_without_reply": (
        "Good to know now, not after sending. A first text only works when any answer, or none, "
        "would be okay. Give it a little more time and ask yourself again in a few days.",
        None,
    ),
    "okay_with_new_partner": (
        "That would hurt anyone. The life you're building for yourself is what makes hard news "
        "bearable, so keep building it first.",
        ("/focus", "Focus on yourself"),
    ),
    "life_you_enjoy": (
        "Then that's the next thing to work on, for you and not for {obj}: something fun this "
        "week, someone to see, something new to try.",
        ("/focus", "Ideas for this week"),
    ),
    "keep_it_light": (
        "Fair. If talk about the relationship is bursting to come out, it's too soon for a "
        "first text. Write it all in a letter you keep instead.",
        ("/letters", "Write a letter you keep"),
    ),
}

# --------------------------------------------------------------------------------------------
# Highlighting a draft
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """A run of the draft: ``kind`` is "problem", "strength" or "" (not marked)."""

    text: str
    kind: str
    rules: tuple[str, ...] = ()


def _markable(finding: Finding, length: int) -> bool:
    return (
        finding.rule not in WHOLE_DRAFT_RULES
        and finding.rule not in SAFETY_RULES
        and 0 <= finding.start < finding.end <= length
    )


def marked_segments(text: str, findings: tuple[Finding, ...] | list[Finding]) -> list[Segment]:
    """Return ``text`` cut into runs, each marked by the findings that cover all of it.

    Overlapping spans are cut at every boundary; a run covered by any problem is a problem
    (the thing to fix wins over praise for the same words), else a strength if any covers it.
    Adjacent runs with the same marks are joined. Timing findings (empty spans), whole-draft
    findings and safety findings mark nothing. Joining the runs' text gives ``text`` back.
    """
    spans = [f for f in findings if _markable(f, len(text))]
    cuts = sorted({0, len(text), *(f.start for f in spans), *(f.end for f in spans)})
    segments: list[Segment] = []
    for start, end in pairwise(cuts):
        covering = [f for f in spans if f.start <= start and end <= f.end]
        problems = sorted({f.rule for f in covering if f.kind == "problem"})
        strengths = sorted({f.rule for f in covering if f.kind == "strength"})
        kind, rules = ("problem", problems) if problems else ("strength", strengths)
        segment = Segment(text[start:end], kind if rules else "", tuple(rules))
        last = segments[-1] if segments else None
        if last and (last.kind, last.rules) == (segment.kind, segment.rules):
            segments[-1] = Segment(last.text + segment.text, last.kind, last.rules)
        else:
            segments.append(segment)
    return segments


@dataclass(frozen=True)
class FindingView:
    rule: str
    kind: str
    severity: str
    message: str
    quote: str  # empty when the finding is about the whole draft or about timing


@dataclass(frozen=True)
class DraftReview:
    """What the review partial shows for one draft."""

    text: str
    verdict: str
    verdict_label: str
    score: int
    segments: list[Segment]
    problems: list[FindingView]
    strengths: list[FindingView]
    suggestions: tuple[str, ...]
    safety: safety.SafetyResult


def draft_review(text: str, result: Review, found: safety.SafetyResult) -> DraftReview:
    views = [
        FindingView(
            f.rule,
            f.kind,
            f.severity,
            f.message,
            f.quote if _markable(f, len(text)) else "",
        )
        for f in result.findings
    ]
    return DraftReview(
        text=text,
        verdict=result.verdict,
        verdict_label=VERDICTS[result.verdict],
        score=result.score,
        segments=marked_segments(text, result.findings),
        problems=[f for f in views if f.kind == "problem"],
        strengths=[f for f in views if f.kind == "strength"],
        suggestions=result.suggestions,
        safety=found,
    )


# --------------------------------------------------------------------------------------------
# Where the person stands, loaded once per request
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Where:
    profile: Profile
    history: History
    state: Status
    words: dict[str, str]
    local_now: datetime

    @property
    def closure(self) -> bool:
        """No re-contact: the move-on path, or protection after a story that showed abuse."""
        return self.profile.goal == "move_on" or self.state.protection

    @property
    def protection(self) -> bool:
        return self.state.protection

    @property
    def stage(self) -> str:
        """The review's stage: "ongoing" once talking again, else "first"."""
        return "ongoing" if self.state.phase == "reconnected" else "first"

    @property
    def open(self) -> bool:
        return self.state.step4_unlocked

    @property
    def unmet(self) -> list[Gate]:
        return [g for g in self.state.gates if not g.met]

    @property
    def decide(self) -> str | None:
        return next((a.text for a in self.state.actions if a.key == "decide"), None)


def where(session: Session, user: User, moment: datetime) -> Where:
    """Return the person's history and status at ``moment`` (one load for both, or the cache)."""
    history, state = standing(session, user, moment)
    profile = history.profile
    return Where(
        profile=profile,
        history=history,
        state=state,
        words=words_for(profile.ex_name, profile.ex_pronouns),
        local_now=moment.astimezone(zone(profile.timezone)),
    )


def memory_bank(history: History) -> list[dict[str, Any]]:
    """Return the memories as the review reads them. An inside joke is tagged as one, which the
    review's lexicon counts as light, so its openers come first."""
    return [
        {
            "title": m.title,
            "text": m.body,
            "tags": [*m.tags, "inside joke"] if m.kind == "inside_joke" else list(m.tags),
        }
        for m in history.memories
    ]


def message_log(conversations: list[Conversation] | Any) -> list[dict[str, Any]]:
    """Return the conversation log as the messages the review's pacing rules read.

    A conversation is its opening message (from whoever started it) and, when the ex answered
    one you started, the ex's reply. Times within a conversation aren't logged, so the reply is
    placed at the start: for a few hours after a conversation began, a new message reads as part
    of it; after that, as a new start (which is what "not too often" counts). Replies of yours
    to a conversation the ex started are left out, since whether the ex answered those is unknown
    and guessing "no" would wrongly call the next message a double text.
    """
    entries: list[dict[str, Any]] = []
    for c in sorted(conversations, key=lambda c: c.started_at):
        entries.append({"at": c.started_at, "sender": c.started_by})
        if c.started_by == "you" and c.ex_replied:
            entries.append({"at": c.started_at, "sender": "ex"})
    return entries


def run_review(
    here: Where, text: str, stage: str | None = None, include_memories: bool = True
) -> tuple[Review, safety.SafetyResult]:
    """Review ``text`` with the person's memories, local time and log; check it for safety.

    ``stage`` None means the person's own stage. The safety check reads the whole text (the
    review reads only its first part when a draft is very long).
    """
    stage = stage or here.stage
    whole = safety.check(text)  # once per keystroke: the review below reuses it
    result = review_draft(
        text,
        stage=stage,
        memories=memory_bank(here.history) if include_memories else (),
        now=here.local_now,
        log=message_log(here.history.conversations) if stage == "ongoing" else (),
        ex_pronoun=here.profile.ex_pronouns,
        whole_text_safety=whole,
    )
    return result, whole


def questions(words: dict[str, str]) -> list[tuple[str, str]]:
    return [(q.key, q.text.format(**words)) for q in READINESS_QUESTIONS]


def replies(answers: dict[str, bool], words: dict[str, str]) -> list[tuple[str, str, Link]]:
    """Return (key, reply, link) for each "not yet" answer, in the questions' order."""
    out = []
    for q in READINESS_QUESTIONS:
        if answers.get(q.key) is not True:
            text, link = NOT_YET_REPLIES[q.key]
            out.append((q.key, text.format(**words), link))
    return out


# --------------------------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------------------------


def _base(here: Where, title: str) -> dict[str, Any]:
    step = STEPS[3]
    if here.closure:
        step = PROTECTION_STEPS[4] if here.protection else CLOSURE_STEP
    return {
        "title": title,
        "here": here,
        "state": here.state,
        "words": here.words,
        "step_title": step.title.format(**here.words),
        "step_why": step.why,
    }


@router.get("/step4")
def step4_page(
    request: Request, session: DB, user: CurrentUser, profile: CurrentProfile, moment: Now
) -> Response:
    here = where(session, user, moment)
    title = "Reach out again"
    if here.closure:
        title = "Your life, your safety" if here.protection else "Close the chapter"
    return page(request, "pages/step4.html", _base(here, title))


@router.get("/step4/ready")
def readiness_page(
    request: Request, session: DB, user: CurrentUser, profile: CurrentProfile, moment: Now
) -> Response:
    here = where(session, user, moment)
    if here.closure:
        return redirect("/step4")
    context = {**_base(here, "Am I ready?"), "questions": questions(here.words), "values": {}}
    return page(request, "pages/step4_ready.html", context)


YES_NO = ("yes", "no")


async def readiness_values(request: Request) -> dict[str, str]:
    """Return each question's answer from the form ("yes", "no", or "" when not answered)."""
    form = await request.form()  # already read (and cached) by the CSRF check
    return {q.key: str(form.get(q.key, ""))[:10] for q in READINESS_QUESTIONS}


@router.post("/step4/ready")
def readiness_form(
    request: Request,
    session: DB,
    user: CurrentUser,
    profile: CurrentProfile,
    moment: Now,
    values: Annotated[dict[str, str], Depends(readiness_values)],
) -> Response:
    errors = {key: "Choose yes or not yet." for key, value in values.items() if value not in YES_NO}
    here = where(session, user, moment)
    context = {**_base(here, "Am I ready?"), "questions": questions(here.words)}
    if errors:
        return page(
            request, "pages/step4_ready.html", {**context, "values": values, "errors": errors}, 400
        )
    answers = {key: value == "yes" for key, value in values.items()}
    try:
        row, _ = take_readiness_check(session, user, moment, answers)
    except InputError as error:
        return form_error(request, "pages/step4_ready.html", error, values, context)
    return redirect(f"/step4/ready/{row.id}", "readiness_saved")


@router.get("/step4/ready/{check_id}")
def readiness_result(
    request: Request,
    session: DB,
    user: CurrentUser,
    profile: CurrentProfile,
    moment: Now,
    check_id: int,
) -> Response:
    row = owned(session, ReadinessCheck, check_id, user)
    here = where(session, user, moment)
    context = {
        **_base(here, "Your readiness check"),
        "check": row,
        "questions": questions(here.words),
        "passed": readiness_passed(row.answers),
        "replies": replies(row.answers, here.words),
    }
    return page(request, "pages/step4_ready_result.html", context)


def _compose(request: Request, here: Where, draft: str, status_code: int = 200) -> Response:
    context = {**_base(here, "Your first text"), "draft": draft, "review": None, "safety": None}
    if draft.strip():
        result, found = run_review(here, draft)
        context["review"] = draft_review(draft, result, found)
        context["safety"] = found
    return page(request, "pages/step4_compose.html", context, status_code)


@router.get("/step4/compose")
def compose_page(
    request: Request, session: DB, user: CurrentUser, profile: CurrentProfile, moment: Now
) -> Response:
    here = where(session, user, moment)
    if here.closure:
        return redirect("/step4")
    return _compose(request, here, "")


@router.post("/step4/compose")
@router.post("/step4/review")
async def review_form(
    request: Request,
    session: DB,
    moment: Now,
    draft: Annotated[str, Form(max_length=DRAFT_MAX * 2)] = "",
    use: Annotated[str | None, Form(max_length=DRAFT_MAX * 2)] = None,
) -> Response:
    """Review a draft. htmx gets the review partial (and, for a chosen suggestion, the text
    box with it); a plain form post gets the whole page again with the review in it.

    htmx posts this as someone types, so it takes one thread hop for everything (who is
    signed in, where they stand, the review), not one per dependency.
    """
    return await run_in_threadpool(_review, request, session, moment, draft, use)


def _review(
    request: Request, session: Session, moment: datetime, draft: str, use: str | None
) -> Response:
    user, _ = page_person(request, session, moment)
    here = where(session, user, moment)
    if here.closure:
        return redirect("/step4")
    text = use if use is not None else draft
    if not is_htmx(request):
        return _compose(request, here, text)
    context: dict[str, Any] = {**_base(here, "Your first text"), "draft": text, "oob": True}
    context["replace_draft"] = use is not None
    context["review"] = None
    if text.strip():
        result, found = run_review(here, text)
        context["review"] = draft_review(text, result, found)
        context["safety"] = found
    return page(request, "partials/_review.html", context)


@router.post("/step4/draft")
def keep_draft(
    request: Request,
    session: DB,
    user: CurrentUser,
    profile: CurrentProfile,
    moment: Now,
    draft: Annotated[str, Form(max_length=DRAFT_MAX * 2)] = "",
) -> Response:
    """Review a draft the person submitted (the Review button), and remember what it shows.

    The review as someone types (``/step4/review``) only reads: a half-typed word is not a
    sign. A draft they chose to submit is theirs, so crisis, concern or abuse in it is
    remembered like any note. htmx gets the review partial; a plain form post gets the page.
    """
    here = where(session, user, moment)
    if here.closure:
        return redirect("/step4")
    if draft.strip():
        found = safety_state.record_texts(session, user, "draft", None, moment, draft)
        if found.abuse and not is_htmx(request):
            return redirect("/step4")  # protection from now on: step 4 says why, with help
    if not is_htmx(request):
        return _compose(request, here, draft)
    context: dict[str, Any] = {**_base(here, "Your first text"), "draft": draft, "oob": True}
    context["review"] = None
    if draft.strip():
        result, found = run_review(here, draft)
        context["review"] = draft_review(draft, result, found)
        context["safety"] = found
    return page(request, "partials/_review.html", context)


def _talk_context(here: Where) -> dict[str, Any]:
    tz = zone(here.profile.timezone)
    recent = sorted(here.history.conversations, key=lambda c: c.started_at, reverse=True)
    return {
        **_base(here, "Talking again"),
        "conversations": [(c, c.started_at.astimezone(tz)) for c in recent],
        "now_local": here.local_now.strftime("%Y-%m-%dT%H:%M"),
    }


TALK_DEFAULTS = {"started_by": "you", "messages": "1", "ex_replied": True, "ended_by": ""}


@router.get("/step4/talk")
def talk_page(
    request: Request,
    session: DB,
    user: CurrentUser,
    profile: CurrentProfile,
    moment: Now,
    logged: Annotated[int | None, Query()] = None,
) -> Response:
    """The conversation log; ``?logged=ID`` (after the form) answers that conversation too."""
    here = where(session, user, moment)
    if here.closure:
        return redirect("/step4")
    context = {**_talk_context(here), "values": dict(TALK_DEFAULTS)}
    if logged is not None:
        row = owned(session, Conversation, logged, user)
        context |= {
            "logged": True,
            "reply": conversation_reply(session, user, row, moment),
            "talk_undo": talk_undo(row, moment),
        }
    return page(request, "pages/step4_talk.html", context)


def talk_undo(row: Conversation, moment: datetime) -> dict[str, Any] | None:
    """The Undo offered for a conversation just logged (None once the moment has passed)."""
    return offer(("conversation", row.id)) if can_undo("conversation", row, moment) else None


@router.post("/step4/talk")
def talk_form(
    request: Request,
    session: DB,
    user: CurrentUser,
    profile: CurrentProfile,
    moment: Now,
    started_by: Annotated[str, Form(max_length=10)] = "",
    started_at: Annotated[str, Form(max_length=40)] = "",
    messages: Annotated[str, Form(max_length=20)] = "1",
    ex_replied: Annotated[str | None, Form(max_length=10)] = None,
    ended_by: Annotated[str, Form(max_length=10)] = "",
    relationship_talk: Annotated[str | None, Form(max_length=10)] = None,
    note: Annotated[str, Form(max_length=NOTE_MAX * 2)] = "",
) -> Response:
    values = {
        "started_by": started_by,
        "started_at": started_at,
        "messages": messages,
        "ex_replied": checkbox(ex_replied),
        "ended_by": ended_by,
        "relationship_talk": checkbox(relationship_talk),
        "note": note,
    }
    try:
        when = v.local_moment("started_at", started_at, profile.timezone) if started_at else None
        # A savepoint, because the service ends no contact before it has checked every field:
        # a refused form must leave nothing changed when this request's transaction commits.
        with session.begin_nested():
            row = log_conversation(
                session,
                user,
                moment,
                started_by=started_by,
                messages=messages,  # type: ignore[arg-type]  # the service parses and explains
                ex_replied=values["ex_replied"],
                ended_by=ended_by or None,
                relationship_talk=values["relationship_talk"],
                note=note,
                started_at=when,
            )
    except InputError as error:
        here = where(session, user, moment)
        return form_error(request, "pages/step4_talk.html", error, values, _talk_context(here))
    found = safety.check(note)
    if found.crisis or found.abuse:
        here = where(session, user, moment)
        context = {**_talk_context(here), "values": dict(TALK_DEFAULTS), "safety": found}
        reply = conversation_reply(session, user, row, moment)
        done = {"logged": True, "reply": reply, "talk_undo": talk_undo(row, moment)}
        return page(request, "pages/step4_talk.html", {**context, **done})
    # The log again, answering this conversation: a reload shows it, and logs nothing twice.
    return redirect(f"/step4/talk?logged={row.id}")


# --------------------------------------------------------------------------------------------
# JSON API
# --------------------------------------------------------------------------------------------


class CheckOut(BaseModel):
    key: str
    label: str
    value: Any = Field(description="The number now (a list for week-by-week checks, or null)")
    target: str
    met: bool
    detail: str = Field("", description="Plain words beside the number, when it needs them")


class GateOut(BaseModel):
    key: str
    title: str
    met: bool
    summary: str
    checks: list[CheckOut]


class QuestionOut(BaseModel):
    key: str
    text: str


class AdviceOut(BaseModel):
    id: str
    text: str


class MilestoneOut(BaseModel):
    id: str
    label: str
    reached: bool


class Step4Out(BaseModel):
    """Step 4 at a glance. With the goal move_on, ``closure`` is true: no re-contact."""

    goal: str
    phase: str
    unlocked: bool
    closure: bool
    gates: list[GateOut]
    readiness_questions: list[QuestionOut]
    decide: str | None = Field(description="Asked of undecided people before a first text")
    pacing: list[AdviceOut]
    milestones: list[MilestoneOut]


@api.get("/step4", response_model=Step4Out, summary="Step 4: gates, whether it's open, questions")
def step4_api(session: DB, user: ApiUser, moment: Now) -> Step4Out:
    here = where(session, user, moment)
    data = here.state.to_dict()
    return Step4Out(
        goal=here.profile.goal,
        phase=here.state.phase,
        unlocked=here.open,
        closure=here.closure,
        gates=data["gates"],
        readiness_questions=[QuestionOut(key=k, text=t) for k, t in questions(here.words)],
        decide=here.decide,
        pacing=data["pacing"],
        milestones=data["milestones"],
    )


class ReadinessIn(BaseModel):
    """An answer to every question: true for yes, false for not yet."""

    answers: dict[str, bool] = Field(
        examples=[{q.key: True for q in READINESS_QUESTIONS}],
        description="Keys: " + ", ".join(q.key for q in READINESS_QUESTIONS),
    )


class ReplyOut(BaseModel):
    key: str
    text: str


class ReadinessOut(BaseModel):
    id: int
    at: datetime
    answers: dict[str, bool]
    passed: bool
    replies: list[ReplyOut] = Field(description="A word for each 'not yet'")
    step4_unlocked: bool


@api.post(
    "/readiness", response_model=ReadinessOut, status_code=201, summary="Take the readiness check"
)
def readiness_api(body: ReadinessIn, session: DB, user: ApiUser, moment: Now) -> ReadinessOut:
    row, passed = take_readiness_check(session, user, moment, body.answers)
    here = where(session, user, moment)
    return ReadinessOut(
        id=row.id,
        at=row.at,
        answers=row.answers,
        passed=passed,
        replies=[ReplyOut(key=k, text=t) for k, t, _ in replies(row.answers, here.words)],
        step4_unlocked=here.open,
    )


class ConversationIn(BaseModel):
    started_by: Literal["you", "ex"]
    messages: int = Field(1, ge=1, le=10_000, description="About how many messages")
    ex_replied: bool = True
    ended_by: Literal["you", "ex"] | None = None
    relationship_talk: bool = Field(False, description="Did the relationship come up?")
    note: str = Field("", max_length=NOTE_MAX)
    started_at: datetime | None = Field(None, description="With a time zone; default now")


class ConversationOut(BaseModel):
    id: int
    started_at: datetime
    started_by: str
    messages: int
    ex_replied: bool
    ended_by: str | None
    relationship_talk: bool
    note: str


class ConversationLogged(ConversationOut):
    pacing: list[AdviceOut]
    safety: SafetyOut
    reply: LoggedReplyOut = Field(description="A few words back about how this one went")


def conversation_out(row: Conversation) -> ConversationOut:
    return ConversationOut(
        id=row.id,
        started_at=row.started_at,
        started_by=row.started_by,
        messages=row.messages,
        ex_replied=row.ex_replied,
        ended_by=row.ended_by,
        relationship_talk=row.relationship_talk,
        note=row.note,
    )


@api.post(
    "/conversations",
    response_model=ConversationLogged,
    status_code=201,
    summary="Log a conversation (only once step 4 is open; the first one ends no contact)",
)
def conversation_api(
    body: ConversationIn, session: DB, user: ApiUser, moment: Now
) -> ConversationLogged:
    row = log_conversation(session, user, moment, **body.model_dump())
    here = where(session, user, moment)
    return ConversationLogged(
        **conversation_out(row).model_dump(),
        pacing=[AdviceOut(**a.to_dict()) for a in here.state.pacing],
        safety=SafetyOut(**safety.check(body.note).to_dict()),
        reply=reply_out(conversation_reply(session, user, row, moment)),
    )


@api.get(
    "/conversations",
    response_model=list[ConversationOut],
    summary="Your conversations from the last two weeks, newest first",
)
def conversations_api(session: DB, user: ApiUser, moment: Now) -> list[ConversationOut]:
    history, _ = standing(session, user, moment)
    recent = sorted(history.conversations, key=lambda c: c.started_at, reverse=True)
    return [conversation_out(c) for c in recent]


class ReviewIn(BaseModel):
    text: str = Field(..., max_length=DRAFT_MAX, description="The message you're thinking of")
    stage: Literal["first", "ongoing"] | None = Field(
        None, description="first text, or talking again; default: where you are"
    )
    include_memories: bool = Field(True, description="Build suggestions from your memory bank")
    kept: bool = Field(
        False,
        description="True for a draft you mean to keep or send (not a review as you type): "
        "signs of crisis, concern or abuse in it are remembered, as in anything you save",
    )


class FindingOut(BaseModel):
    rule: str
    kind: str = Field(description="problem or strength")
    severity: str = Field(description="block, warn or info")
    start: int
    end: int
    message: str


class ReviewOut(BaseModel):
    """``Review.to_dict()`` plus the safety check; when crisis or abuse, show help first."""

    verdict: str = Field(description="send, revise or dont_send")
    score: int
    findings: list[FindingOut]
    suggestions: list[str]
    safety: SafetyOut


@api.post("/review", response_model=ReviewOut, summary="Review a text before you send it")
def review_api(body: ReviewIn, session: DB, user: ApiUser, moment: Now) -> ReviewOut:
    """Nothing is sent. The review only reads the text, unless it is ``kept``: then what it
    shows about your safety is remembered."""
    if body.kept:
        safety_state.record_texts(session, user, "draft", None, moment, body.text)
    here = where(session, user, moment)
    result, found = run_review(here, body.text, body.stage, body.include_memories)
    return ReviewOut(**result.to_dict(), safety=SafetyOut(**found.to_dict()))
