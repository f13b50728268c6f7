"""The reply to what was just logged, said in the terminal the way the web page says it."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from secondchance.program.replies import Reply


def show_reply(console: Console, reply: Reply) -> None:
    """Print the reply: its title, the words, one thing to try, and where to read more."""
    console.print(f"[bold]{escape(reply.title)}[/bold]")
    console.print(escape(reply.text))
    console.print(f"One thing to try: {escape(reply.try_now)}")
    for link in reply.links:
        console.print(f"{escape(link.label)} (in the web app: {link.href})")
