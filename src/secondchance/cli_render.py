"""How the command line shows things: Rich in a terminal, plain text anywhere else."""

from __future__ import annotations

from rich import box
from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from secondchance.program.plan import Status
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
        return "–"
    if isinstance(value, list):
        return ", ".join(_value(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def render_status(console: Console, state: Status, name: str) -> None:
    """Print the whole status: step path, streaks, gates with numbers, today's actions."""
    fancy = console.is_terminal
    yes, no = ("✓", "·") if fancy else ("yes", "not yet")
    path = "  →  ".join(
        f"[bold]{s.number}[/bold]" if s.number == state.step else f"[dim]{s.number}[/dim]"
        for s in STEPS
    )
    console.print(f"[bold]Hi {name}.[/bold] Step {state.step} of 4: {state.step_title}")
    console.print(f"  {path}    [dim]{state.step_why}[/dim]")
    s = state.streaks
    if state.phase == "not_started":
        console.print("\nNo contact hasn't started yet.")
    else:
        label = "No contact" if state.phase != "reconnected" else "No contact (completed)"
        if s.current >= state.target_days:
            where = f"day {s.current}, target of {state.target_days} reached"
        else:
            where = f"day {s.current} of {state.target_days}"
        progress = escape(bar(s.current, state.target_days, fancy=fancy))
        console.print(f"\n{label}: {where}  {progress}")
        slips = ""
        if s.slips:
            slips = f" · {len(s.slips)} {'slip' if len(s.slips) == 1 else 'slips'} along the way"
        console.print(
            f"  Current streak {s.current} · longest {s.longest} · "
            f"{s.total} contact-free days in all{slips}"
        )
    table = Table(box=box.SIMPLE if fancy else box.ASCII, show_header=True, expand=False)
    table.add_column("Gate")
    table.add_column("Measure")
    table.add_column("Now", justify="right")
    table.add_column("Aim")
    table.add_column("")
    for gate in state.gates:
        for index, check in enumerate(gate.checks):
            table.add_row(
                (f"{yes} " if gate.met else f"{no} ") + gate.title if index == 0 else "",
                check.label,
                _value(check.value),
                check.target,
                yes if check.met else no,
            )
    console.print(table)
    for gate in state.gates:
        console.print(f"  [dim]{gate.title}:[/dim] {gate.summary}")
    if state.step4_unlocked and state.phase == "ready":
        console.print("\n[bold green]Step 4 is open.[/bold green] Take it gently.")
    if state.milestones:
        reached = [m.label for m in state.milestones if m.reached]
        console.print("\nMilestones: " + ("; ".join(reached) if reached else "the first is close"))
    actions = Group(*(Text(f"{n}. {a.text}") for n, a in enumerate(state.actions, start=1)))
    if fancy:
        console.print(Panel(actions, title="Today", title_align="left", expand=False))
    else:
        console.print("\nToday:")
        console.print(actions)
