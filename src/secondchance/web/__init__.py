"""The web app: the whole program in a phone browser. Build it with ``create_app(settings)``."""

from secondchance.web.app import create_app

__all__ = ["create_app"]
