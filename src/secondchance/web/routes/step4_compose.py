"""Step 4's first-text composer: a draft reviewed live, highlighted, never sent (page and API)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from secondchance.analysis import review as review_draft
from secondchance.analysis import safety
from secondchance.analysis.draft import Bank, Finding, Review
from secondchance.services import safety_state
from secondchance.web.deps import (
    DB,
    ApiUser,
    CurrentProfile,
    CurrentUser,
    Now,
    check_csrf,
    csrf_protect,
    form_body_doc,
    form_fields,
    page_person,
    read_page,
)
from secondchance.web.routes._daily import SafetyOut, notice_of, safety_out
from secondchance.web.routes._step4 import (
    DRAFT_MAX,
    Where,
    base_context,
    memory_bank,
    message_log,
    review_bank,
    where,
)
from secondchance.web.templating import is_htmx, page, redirect

# The form guard is on each route that needs it: the live review checks its token itself.
router = APIRouter()
_guarded = [Depends(csrf_protect)]
api = APIRouter(tags=["step 4"])


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


def run_review(
    here: Where,
    text: str,
    stage: str | None = None,
    include_memories: bool = True,
    bank: Bank | None = None,
) -> tuple[Review, safety.SafetyResult]:
    """Review ``text`` with the person's memories, local time and log; check it for safety.

    ``stage`` None means the person's own stage. The safety check reads the whole text (the
    review reads only its first part when a draft is very long). ``bank`` is the memories
    already prepared (``review_bank``), or None to prepare them from ``here``.
    """
    stage = stage or here.stage
    whole = safety.check(text)  # once per keystroke: the review below reuses it
    memories: Bank | list[dict[str, Any]] = []
    if include_memories:
        memories = bank if bank is not None else memory_bank(here.history)
    result = review_draft(
        text,
        stage=stage,
        memories=memories,
        now=here.local_now,
        log=message_log(here.history.conversations) if stage == "ongoing" else (),
        ex_pronoun=here.profile.ex_pronouns,
        whole_text_safety=whole,
    )
    return result, whole


def _compose(request: Request, here: Where, draft: str, status_code: int = 200) -> Response:
    context = {
        **base_context(here, "Your first text"),
        "draft": draft,
        "review": None,
        "safety": None,
    }
    if draft.strip():
        result, found = run_review(here, draft)
        context["review"] = draft_review(draft, result, found)
        context["safety"] = found
    return page(request, "pages/step4_compose.html", context, status_code)


@router.get("/step4/compose", dependencies=_guarded)
def compose_page(
    request: Request, session: DB, user: CurrentUser, profile: CurrentProfile, moment: Now
) -> Response:
    here = where(session, user, moment)
    if here.closure:
        return redirect("/step4")
    return _compose(request, here, "")


class DraftForm(BaseModel):
    """What the composer's form sends: the draft, or a suggestion chosen to replace it."""

    draft: str = Field("", max_length=DRAFT_MAX * 2)
    use: str | None = Field(None, max_length=DRAFT_MAX * 2)


# The live review is posted on every keystroke and only reads: it checks the CSRF token itself
# (a reading post has no form key to claim), reads its two fields itself (``form_fields``: the
# same rules and answers as FastAPI's ``Form`` parameters) and runs like a page
# (``read_page``), so FastAPI solves nothing for it.
@router.post("/step4/compose", openapi_extra=form_body_doc(DraftForm))
@router.post("/step4/review", openapi_extra=form_body_doc(DraftForm))
async def review_form(request: Request) -> Response:
    """Review a draft. htmx gets the review partial (and, for a chosen suggestion, the text
    box with it); a plain form post gets the whole page again with the review in it.
    """
    try:
        form = await form_fields(request, DraftForm)
        await check_csrf(request)
        return await read_page(
            request,
            lambda request, session, moment: _review(
                request, session, moment, form.draft, form.use
            ),
        )
    finally:
        await request.close()  # any files a multipart post brought, as FastAPI closes them


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
    context: dict[str, Any] = {**base_context(here, "Your first text"), "draft": text, "oob": True}
    context["replace_draft"] = use is not None
    context["review"] = None
    if text.strip():
        bank = review_bank(session, user, moment, here.history)
        result, found = run_review(here, text, bank=bank)
        context["review"] = draft_review(text, result, found)
        context["safety"] = found
    return page(request, "partials/_review.html", context)


@router.post("/step4/draft", dependencies=_guarded)
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
    context: dict[str, Any] = {**base_context(here, "Your first text"), "draft": draft, "oob": True}
    context["review"] = None
    if draft.strip():
        result, found = run_review(here, draft)
        context["review"] = draft_review(draft, result, found)
        context["safety"] = found
    return page(request, "partials/_review.html", context)


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
def review_api(
    body: ReviewIn, request: Request, session: DB, user: ApiUser, moment: Now
) -> ReviewOut:
    """Nothing is sent. The review only reads the text, unless it is ``kept``: then what it
    shows about your safety is remembered."""
    if body.kept:
        safety_state.record_texts(session, user, "draft", None, moment, body.text)
    here = where(session, user, moment)
    result, found = run_review(here, body.text, body.stage, body.include_memories)
    notice = notice_of(request, session, user, found)
    return ReviewOut(**result.to_dict(), safety=safety_out(notice))
