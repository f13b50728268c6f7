"""Where the web app's files live (kept apart so routes can import it without cycles)."""

from pathlib import Path

STATIC = Path(__file__).parent / "static"
TEMPLATES = Path(__file__).parent / "templates"
