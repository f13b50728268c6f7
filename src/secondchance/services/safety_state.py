"""The remembered safety state: what a person's own words showed, kept until they clear it.

Every text a person saves through the services (a story, a check-in note, an urge, a letter, a
memory, a contact, conversation or activity note, a draft they kept, their safety plan) is read
by ``analysis.safety`` in the same transaction as the save, and a crisis, concern or abuse
finding is stored as a signal. Today, status and step 4 read the state from those signals, not
from the latest story: telling the story again without the words never switches protection
off, and a crisis in a check-in note isn't forgotten after the next check-in. Only the person's
own "I'm safe now" (``clear``) sets signals aside, and a later one turns the state back on.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, exists, literal_column, select
from sqlalchemy.orm import Session

from secondchance.analysis import safety
from secondchance.analysis.evidence import Evidence
from secondchance.analysis.safety import SafetyResult
from secondchance.models import (
    Activity,
    Base,
    CheckIn,
    Contact,
    Conversation,
    JournalEntry,
    Letter,
    Memory,
    SafetyClearance,
    SafetySignal,
    Story,
    Urge,
    User,
)
from secondchance.program.safety import KINDS, SafetyState, last_cleared, live, safety_state
from secondchance.services import validate as v
from secondchance.services.errors import InputError
from secondchance.services.people import Caller

__all__ = [
    "KINDS",
    "SOURCES",
    "SafetyState",
    "check_texts",
    "clear",
    "clearances",
    "current",
    "record",
    "record_texts",
]

# What a signal can be read from, and the table of its row (None: no row of its own to name).
SOURCES: dict[str, type[Base] | None] = {
    "story": Story,
    "checkin": CheckIn,
    "urge": Urge,
    "letter": Letter,
    "memory": Memory,
    "contact": Contact,
    "conversation": Conversation,
    "activity": Activity,
    "journal": JournalEntry,
    "draft": None,  # drafts are reviewed, never stored
    "safety_plan": None,  # one per person, keyed by the person
}
# A quote is there to show where a signal came from, not to keep a second copy of the text.
QUOTE_MAX = 200
# Evidence kept per signal: a long story can hold dozens of spans; a few say enough.
EVIDENCE_MAX = 12
NOTE_MAX = v.LIMITS["safety_note"]


def check_texts(*texts: str) -> SafetyResult:
    """Check each text on its own and combine the results: a flag in any raises the flag.

    Texts are read apart so words from two fields never run together into a phrase neither
    holds (each evidence span is a span of its own text). Concern is dropped when crisis is up,
    as in a single result. Empty texts are skipped; none at all gives a clear result.
    """
    results = [safety.check(text) for text in texts if text and text.strip()]
    crisis = any(r.crisis for r in results)
    return SafetyResult(
        crisis=crisis,
        abuse=any(r.abuse for r in results),
        evidence=tuple(e for r in results for e in r.evidence),
        concern=not crisis and any(r.concern for r in results),
    )


def _kinds_of(result: SafetyResult) -> list[str]:
    return [kind for kind in KINDS if getattr(result, kind)]


def _belongs(evidence: Evidence, kind: str) -> bool:
    """Abuse evidence supports abuse; everything else supports crisis or concern."""
    is_abuse = evidence.about.startswith("abuse")
    return is_abuse if kind == "abuse" else not is_abuse


def _evidence_rows(result: SafetyResult, kind: str) -> list[dict[str, Any]]:
    """The evidence behind ``kind`` as stored: rule, a short quote and its span."""
    rows = []
    for item in result.evidence:
        if _belongs(item, kind):
            quote = item.quote[:QUOTE_MAX]
            rows.append({"rule": item.about, "quote": quote, "start": item.start, "end": item.end})
    return rows[:EVIDENCE_MAX]


def record(
    session: Session,
    user: User,
    result: SafetyResult,
    source: str,
    source_id: int | None,
    now: datetime,
    *,
    kinds: Iterable[str] = KINDS,
) -> list[SafetySignal]:
    """Store a signal for each of crisis, concern and abuse that ``result`` shows.

    ``kinds`` limits which are stored (the safety plan names crisis words on purpose).
    Returns the new rows, oldest kind first; an empty list when the result shows none of them.
    Raises InputError for an unknown ``source``.
    """
    if source not in SOURCES:
        raise InputError("source", f"should be one of {', '.join(SOURCES)}, not {source!r}")
    wanted = set(kinds)
    rows = [
        SafetySignal(
            user_id=user.id,
            kind=kind,
            source=source,
            source_id=source_id,
            evidence=_evidence_rows(result, kind),
            created_at=now,
        )
        for kind in _kinds_of(result)
        if kind in wanted
    ]
    if rows:
        session.add_all(rows)
        session.flush()
    return rows


def record_texts(
    session: Session,
    user: User,
    source: str,
    source_id: int | None,
    now: datetime,
    *texts: str,
    kinds: Iterable[str] = KINDS,
) -> SafetyResult:
    """Check ``texts`` (each on its own), record what they show, and return the result."""
    result = check_texts(*texts)
    record(session, user, result, source, source_id, now, kinds=kinds)
    return result


# Built once: every save of something a person wrote reads the safety state (replies, notices).
_CLEARANCES = (
    select(SafetyClearance)
    .where(SafetyClearance.user_id == bindparam("user_id"))
    .order_by(SafetyClearance.created_at.desc(), SafetyClearance.id.desc())
)


def clearances(session: Session, user: User) -> list[SafetyClearance]:
    """Return the person's "I'm safe now" log, newest first."""
    return list(session.scalars(_CLEARANCES, {"user_id": user.id}))


# What the rules read of each (``program.safety``), as plain rows: loading whole objects cost
# more than the reading, and nothing here changes them.
_SIGNAL_READ = (
    select(
        SafetySignal.kind,
        SafetySignal.source,
        SafetySignal.source_id,
        SafetySignal.evidence,
        SafetySignal.created_at,
    )
    .where(SafetySignal.user_id == bindparam("user_id"))
    .order_by(SafetySignal.created_at, SafetySignal.id)
)
_SIGNAL_READ_SINCE = _SIGNAL_READ.where(SafetySignal.created_at > bindparam("cutoff"))
# Every clearing, newest first, with whether the person has any signal at all, in one
# statement: most people have none (and so no clearing either), and then the signals need no
# second read (a round trip on PostgreSQL, on every save's reply). The one-row table on the
# left keeps the answer when there is no clearing.
_ONE_ROW = select(literal_column("1").label("one")).subquery("one_row")
_CLEARING_READ = (
    select(
        exists().where(SafetySignal.user_id == bindparam("user_id")).label("any_signal"),
        SafetyClearance.kinds,
        SafetyClearance.created_at,
    )
    .select_from(
        _ONE_ROW.outerjoin(SafetyClearance, SafetyClearance.user_id == bindparam("user_id"))
    )
    .order_by(SafetyClearance.created_at.desc(), SafetyClearance.id.desc())
)


def _signals_since(session: Session, user: User, cutoff: datetime | None) -> list[Any]:
    if cutoff is None:
        return list(session.execute(_SIGNAL_READ, {"user_id": user.id}))
    return list(session.execute(_SIGNAL_READ_SINCE, {"user_id": user.id, "cutoff": cutoff}))


def _load(session: Session, user: User) -> tuple[list[Any], list[Any]]:
    """Return the signals that can still count and every clearing, as rows the rules read.

    Once every kind has been cleared, nothing from before the oldest of those latest clearings
    is read, so the cost stays small over years.
    """
    found = list(session.execute(_CLEARING_READ, {"user_id": user.id}))
    cleared = [row for row in found if row.created_at is not None]
    if not found[0].any_signal:
        return [], cleared
    latest = last_cleared(cleared)
    cutoff = min(latest.values()) if set(KINDS) <= set(latest) else None
    return _signals_since(session, user, cutoff), cleared


def current(session: Session, user: User, now: datetime) -> SafetyState:
    """Return the person's safety state at ``now`` (all off when nothing was ever signalled)."""
    return safety_state(*_load(session, user), now)


def abuse_on_after(
    session: Session, user: User | Caller, found: SafetyResult, now: datetime
) -> bool:
    """Whether abuse protection is on right after a write whose words showed ``found``.

    A caller that had no safety signal before this write (``Caller.signalled`` False, read with
    its token) has only what this write found, so nothing needs reading. This errs only to the
    safe side: abuse in words saved again unchanged is not stored twice, but still counts here.
    """
    if isinstance(user, Caller) and user.signalled is False:
        return found.abuse
    return current(session, user, now).abuse


def _clean_kinds(kinds: Iterable[str] | None) -> list[str]:
    if kinds is None:
        return list(KINDS)
    chosen: list[str] = []
    for kind in kinds:
        cleaned = v.choice("kinds", kind, KINDS)
        if cleaned not in chosen:
            chosen.append(cleaned)
    if not chosen:
        raise InputError("kinds", f"choose at least one of {', '.join(KINDS)}")
    return [k for k in KINDS if k in chosen]


def clear(
    session: Session,
    user: User,
    now: datetime,
    kinds: Iterable[str] | None = None,
    note: str = "",
) -> SafetyClearance | None:
    """The person's own "I'm safe now": set aside the signals of ``kinds`` written until ``now``.

    ``kinds`` None means every kind. Only kinds that are on are cleared, and the clearing is
    logged as a row (with the person's ``note``, if any) and returned; when none of them is on,
    nothing is written and None is returned. A signal written later turns its kind back on.
    Raises InputError for an unknown kind or a note that is too long.
    """
    chosen = _clean_kinds(kinds)
    cleaned_note = v.text("note", note, max_length=NOTE_MAX)
    on_now = {signal.kind for signal in live(*_load(session, user), now)}
    on = [kind for kind in chosen if kind in on_now]
    if not on:
        return None
    row = SafetyClearance(user_id=user.id, kinds=on, note=cleaned_note, created_at=now)
    session.add(row)
    session.flush()
    return row
