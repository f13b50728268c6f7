"""Entry point for uvicorn workers: each process builds its app from the environment."""

from __future__ import annotations

from fastapi import FastAPI

from secondchance.config import Settings
from secondchance.web.app import create_app


def app_from_env() -> FastAPI:
    # The command that started the server has migrated already; workers only connect.
    return create_app(Settings(), migrate=False)
