"""The evidence every analysis result carries: which rule fired, on exactly which text."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Evidence:
    """A quoted span of the input. ``text[start:end] == quote`` always holds.

    ``about`` names what the span supports: a rule id (``"miss_you"``), a fact
    (``"who_ended"``) or a flag (``"self_harm"``).
    """

    about: str
    quote: str
    start: int
    end: int

    @classmethod
    def from_match(cls, about: str, text: str, start: int, end: int) -> Evidence:
        return cls(about=about, quote=text[start:end], start=start, end=end)

    def to_dict(self) -> dict[str, object]:
        return {"about": self.about, "quote": self.quote, "start": self.start, "end": self.end}
