"""The app's own health: does the database answer?"""

from __future__ import annotations

from sqlalchemy import Engine, text


def check_database(engine: Engine) -> None:
    """Ask the database the smallest question; raises the driver's error when it can't answer."""
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
