"""How the command line shows things: Rich in a terminal, plain text anywhere else.

Gates are shown as short lists rather than a wide table, so status reads at a glance on a
narrow terminal (or a phone's SSH client) and stays tidy when piped into a file.
"""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.text import Text

from secondchance.program.plan import Status
from secondchance.program.progress import Check
from secondchance.program.steps import STEPS

BAR_WIDTH = 21


def bar(done: int, total: int, *, fancy: bool) -> str:
    """A progress bar as text: ``█████░░░`` in a terminal, ``[####----]`` elsewhere."""
    total = max(total, 1)
    filled = min(BAR_WIDTH, round(BAR_WIDTH * min(done, total) / total))
    if fancy:
        return "█" * filled + "░" * (BAR_WIDTH - filled)
    return "[" + "#" * filled + "-" * (BAR_WIDTH - filled) + "]"


def _value(value: object) -> str:
    if value is None:
        return "none yet"
    if isinstance(value, list):
        return " then ".join(_value(v) for v in value)  # oldest week first
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _mark(met: bool, fancy: bool) -> str:
    if fancy:
        return "[green]✓[/green]" if met else "[yellow]·[/yellow]"
    return escape("[x]") if met else escape("[ ]")


def _check_line(check: Check, fancy: bool) -> str:
    value = "not known yet" if check.value is None and check.detail else _value(check.value)
    line = f"    {_mark(check.met, fancy)} {check.label}: {value} [dim](aim: {check.target})[/dim]"
    if check.detail:
        line += f" — {escape(check.detail)}"
    return line


def render_status(console: Console, state: Status, name: str) -> None:
    """Print the whole status: step path, streaks, gates with numbers, today's actions."""
    fancy = console.is_terminal
    current = "[bold reverse] {} [/bold reverse]" if fancy else "({})"
    path = " → ".join(
        current.format(s.number) if s.number == state.step else str(s.number) for s in STEPS
    )
    console.print(f"[bold]Hi {name}.[/bold] Step {state.step} of 4: {escape(state.step_title)}")
    console.print(f"  {path}   [dim]{escape(state.step_why)}[/dim]")
    _render_streaks(console, state, fancy)
    console.print("\n[bold]Gates[/bold]")
    for gate in state.gates:
        console.print(f"  {_mark(gate.met, fancy)} [bold]{gate.title}[/bold]: {gate.summary}")
        for check in gate.checks:
            console.print(_check_line(check, fancy))
    if state.step4_unlocked and state.phase == "ready":
        console.print("\n[bold green]Step 4 is open.[/bold green] Take it gently.")
    if state.pacing:
        console.print("\n[bold]Pacing[/bold]")
        for advice in state.pacing:
            console.print(f"  • {escape(advice.text)}")
    if state.milestones:
        reached = [m.label for m in state.milestones if m.reached]
        console.print("\nMilestones: " + ("; ".join(reached) if reached else "the first is close"))
    lines = [f"{n}. {a.text}" for n, a in enumerate(state.actions, start=1)]
    if fancy:
        panel = Panel(Text("\n".join(lines)), title="Today", title_align="left")
        console.print(panel, soft_wrap=False)
    else:
        console.print("\nToday:")
        for line in lines:
            console.print(escape(line))


def _render_streaks(console: Console, state: Status, fancy: bool) -> None:
    s = state.streaks
    if state.phase == "not_started":
        console.print("\nNo contact hasn't started yet.")
        return
    label = "No contact" if state.phase != "reconnected" else "No contact (completed)"
    if s.current >= state.target_days:
        where = f"{s.current} days, your {state.target_days}-day target reached"
    else:
        where = f"{s.current} of {state.target_days} days"
    progress = escape(bar(s.current, state.target_days, fancy=fancy))
    console.print(f"\n{label}: {where}  {progress}")
    slips = ""
    if s.slips:
        slips = f" · {len(s.slips)} {'slip' if len(s.slips) == 1 else 'slips'} along the way"
    console.print(
        f"  Current streak {s.current} · longest {s.longest} · "
        f"{s.total} contact-free days in all{slips}"
    )
