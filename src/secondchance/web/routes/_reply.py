"""The reply to what was just logged, as the pages and the API show it.

The leading underscore keeps this module out of router discovery: it defines no routes.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from secondchance.program.replies import Reply


class LinkOut(BaseModel):
    href: str
    label: str


class ReplyOut(BaseModel):
    """A few words about what was logged, one thing to try now, and where to read more."""

    kind: str = Field(description="Which reply it is, e.g. crying_spiral, slip, late_urge")
    title: str
    text: str
    try_now: str = Field(description="One thing to try now")
    link: str | None = Field(description="Where to read more (a path in the app), or null")
    links: list[LinkOut]


def reply_out(reply: Reply) -> ReplyOut:
    return ReplyOut(**reply.to_dict())
