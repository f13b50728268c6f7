"""The remembered safety state, folded from signals and the person's own clearings. Pure.

A signal is something a person wrote that showed crisis, concern or abuse; a clearing is their
own "I'm safe now" for some of those kinds. The rules only read attributes (``kind``,
``source``, ``source_id``, ``evidence``, ``created_at`` of a signal; ``kinds`` and
``created_at`` of a clearing), so rows from the database or plain objects in a test both work.

- Abuse and crisis stay on until cleared: a later text without the words changes nothing.
- Concern (heavy distress, no sign of risk) counts only the signals of the last
  ``CONCERN_REMINDER_DAYS`` that weren't cleared, so it fades on its own; it is never on
  together with crisis (crisis is the higher level).
- A signal written after a clearing turns its kind back on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from secondchance.program import thresholds as t

KINDS = ("crisis", "concern", "abuse")
# The most evidence a state carries: enough to show where it came from, not a transcript.
EVIDENCE_SHOWN = 10


class SignalLike(Protocol):
    kind: str
    source: str
    source_id: int | None
    evidence: list[dict[str, Any]]
    created_at: datetime


class ClearingLike(Protocol):
    kinds: list[str]
    created_at: datetime


@dataclass(frozen=True)
class SignalEvidence:
    """One quoted span behind the state: which kind, from what, when, and the words."""

    kind: str
    source: str
    source_id: int | None
    at: datetime
    rule: str
    quote: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "source": self.source,
            "source_id": self.source_id,
            "at": self.at.isoformat(),
            "rule": self.rule,
            "quote": self.quote,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True)
class SafetyState:
    """What a person's words have shown and they haven't set aside.

    ``since`` is when the earliest signal still counting of an active kind was written (None
    when nothing is on); ``evidence`` holds the newest quotes behind the active kinds.
    """

    crisis: bool = False
    concern: bool = False
    abuse: bool = False
    since: datetime | None = None
    evidence: tuple[SignalEvidence, ...] = ()

    @property
    def active(self) -> tuple[str, ...]:
        """The kinds that are on, in KINDS order (empty when none)."""
        return tuple(kind for kind in KINDS if getattr(self, kind))

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"crisis", "concern", "abuse", "since" (ISO or null), "evidence": [...]}``."""
        return {
            "crisis": self.crisis,
            "concern": self.concern,
            "abuse": self.abuse,
            "since": None if self.since is None else self.since.isoformat(),
            "evidence": [e.to_dict() for e in self.evidence],
        }


def last_cleared(clearings: Iterable[ClearingLike]) -> dict[str, datetime]:
    """Return, for each kind ever cleared, the moment of its latest clearing."""
    latest: dict[str, datetime] = {}
    for clearing in clearings:
        for kind in clearing.kinds:
            if kind not in latest or clearing.created_at > latest[kind]:
                latest[kind] = clearing.created_at
    return latest


def counting(signals: Iterable[SignalLike], clearings: Iterable[ClearingLike]) -> list[SignalLike]:
    """Return the signals written after the latest clearing of their kind, oldest first.

    A signal written at the very moment of a clearing counts as cleared: the person saw it.
    """
    cleared = last_cleared(clearings)
    kept = [s for s in signals if s.kind not in cleared or s.created_at > cleared[s.kind]]
    return sorted(kept, key=lambda s: s.created_at)


def live(
    signals: Iterable[SignalLike], clearings: Iterable[ClearingLike], now: datetime
) -> list[SignalLike]:
    """Return the signals that still count at ``now``, oldest first: not cleared, and for
    concern, written in the last CONCERN_REMINDER_DAYS. Concern under crisis is kept here
    (clearing everything must clear it too), though the state doesn't show it."""
    fade = now - timedelta(days=t.CONCERN_REMINDER_DAYS)
    return [
        s
        for s in counting(signals, clearings)
        if s.kind != "concern" or s.created_at >= fade  # concern looks back a while only
    ]


def safety_state(
    signals: Iterable[SignalLike], clearings: Iterable[ClearingLike], now: datetime
) -> SafetyState:
    """Return the safety state at ``now`` from every signal and clearing of one person."""
    live_now = live(signals, clearings, now)
    kinds = {s.kind for s in live_now}
    crisis, abuse = "crisis" in kinds, "abuse" in kinds
    concern = "concern" in kinds and not crisis
    active = {k for k, on in (("crisis", crisis), ("concern", concern), ("abuse", abuse)) if on}
    behind = [s for s in live_now if s.kind in active]
    return SafetyState(
        crisis=crisis,
        concern=concern,
        abuse=abuse,
        since=behind[0].created_at if behind else None,
        evidence=_evidence(behind),
    )


def _evidence(signals: list[SignalLike]) -> tuple[SignalEvidence, ...]:
    """The newest quotes first, at most EVIDENCE_SHOWN; items of the wrong shape are skipped."""
    found: list[SignalEvidence] = []
    for signal in reversed(signals):
        for item in signal.evidence or []:
            if not isinstance(item, dict):
                continue
            found.append(
                SignalEvidence(
                    kind=signal.kind,
                    source=signal.source,
                    source_id=signal.source_id,
                    at=signal.created_at,
                    rule=str(item.get("rule", "")),
                    quote=str(item.get("quote", "")),
                    start=int(item.get("start", 0) or 0),
                    end=int(item.get("end", 0) or 0),
                )
            )
            if len(found) == EVIDENCE_SHOWN:
                return tuple(found)
    return tuple(found)
