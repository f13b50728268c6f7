"""The command line: every action of the program, one transaction per command.

Commands translate arguments into one service call and show the result; they don't decide.
Mistakes in what was typed come back as one friendly line and a non-zero exit, never a
traceback, and nothing already saved is touched by a command that fails.

``app.py`` holds the Typer app and the runtime (the one place here that opens the database);
each other module is a group of commands that registers itself on ``app`` when imported. They
are imported in the order `secondchance --help` lists them.
"""

from __future__ import annotations

from importlib import import_module

from secondchance.cli.app import app, runtime

# Each module registers its commands on `app` when imported; this order is the order
# `secondchance --help` lists them in (a tuple, so no import sorter can reorder it).
COMMAND_MODULES = (
    "profile",
    "nocontact",
    "daily",
    "step4",
    "letters",
    "status",
    "safety",
    "history",
    "data",
    "serve",
    "analysis",
    "entries",
    "lessons",
    "reminders",
)
for _name in COMMAND_MODULES:
    import_module(f"secondchance.cli.{_name}")

__all__ = ["app", "main", "runtime"]


def main() -> None:
    app()
