"""Load phrase lists and patterns from the package's data files, once.

Lexicons are TOML files in ``analysis/data/`` so that the words live next to comments saying
why they are there, not inside code.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources
from typing import Any


@cache
def load(name: str) -> dict[str, Any]:
    """Return the parsed TOML file ``analysis/data/<name>.toml`` (cached for the process)."""
    data = resources.files("secondchance.analysis").joinpath("data", f"{name}.toml").read_bytes()
    return tomllib.loads(data.decode("utf-8"))


def compile_alternatives(patterns: list[str], flags: int = re.IGNORECASE) -> re.Pattern[str]:
    """Join regex fragments into one alternation with word boundaries at both ends."""
    body = "|".join(f"(?:{p})" for p in patterns)
    return re.compile(rf"\b(?:{body})\b", flags)
