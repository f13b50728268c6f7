"""Configuration: one validated object, built by the caller and passed down (never at import)."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET = "dev-only-not-secret"


def default_database_url() -> str:
    """An SQLite file in the person's data directory (e.g. ~/.local/share/secondchance)."""
    return f"sqlite:///{Path(user_data_dir('secondchance', appauthor=False)) / 'secondchance.db'}"


class Settings(BaseSettings):
    """Everything the app can be told from outside, read from ``SECONDCHANCE_*`` variables.

    Secrets can come from files (``SECONDCHANCE_SECRET_KEY_FILE``) so they stay out of the
    process environment and shell history.
    """

    model_config = SettingsConfigDict(env_prefix="SECONDCHANCE_", extra="ignore")

    database_url: str = Field(default_factory=default_database_url)
    environment: str = "development"
    secret_key: str = DEV_SECRET
    secret_key_file: Path | None = None
    # The account the command line acts for; one database can hold several people.
    user: str = "me"
    # The web app. Cookies get the Secure flag when the app is reached over HTTPS (or always,
    # with secure_cookies=true behind a proxy that terminates TLS).
    secure_cookies: bool = False
    # Bodies larger than this are refused with 413; imports may be larger (years of history).
    max_body_bytes: int = 1_000_000
    max_import_bytes: int = 25_000_000
    # Where the quick-exit button goes: a plain, neutral page. Local by default, so that
    # pressing it makes no request to anyone else; any https URL works too.
    quick_exit_url: str = "/weather"
    # Offer "Try the demo" on the first page: each visitor gets a private copy of the six-week
    # example, deleted after a day (``serve --demo`` turns it on).
    demo: bool = False
    # Redis for the status cache shared by every worker and server (e.g. redis://127.0.0.1:6379/0);
    # unset, each worker keeps its own cache in memory.
    redis_url: str | None = None
    # Extra or replacement help lines: a TOML file in the shape of analysis/data/resources.toml.
    help_lines_file: Path | None = None
    # Where to report a security problem (an email address or an https URL), shown on the
    # privacy page and in /.well-known/security.txt. The operator of the server sets it.
    security_contact: str = ""
    # Reminders: `serve` runs a small scheduler that sends the web-push reminders that are due
    # (switch it off when `secondchance remind` runs from cron instead). Push messages go only
    # to these push services' hosts (and their subdomains); empty means the browsers' own.
    reminders: bool = True
    push_hosts: list[str] = Field(default_factory=list)
    # "standard" argon2 for passwords; "fast" (the smallest cost) is for the test suite, and
    # refused in production, where a stolen database must stay slow to guess passwords from.
    password_hashing: str = "standard"

    @field_validator("environment")
    @classmethod
    def _known_environment(cls, value: str) -> str:
        if value not in {"development", "test", "production"}:
            raise ValueError("must be development, test or production")
        return value

    @field_validator("password_hashing")
    @classmethod
    def _known_hashing(cls, value: str) -> str:
        if value not in {"standard", "fast"}:
            raise ValueError("must be standard or fast")
        return value

    def resolved_secret_key(self) -> str:
        """Return the secret key, read from its file when one is given.

        Raises ValueError when the development default would be used outside development,
        because a guessable key lets anyone forge a session.
        """
        key = self.secret_key
        if self.secret_key_file is not None:
            key = self.secret_key_file.read_text(encoding="utf-8").strip()
        if key == DEV_SECRET and self.environment != "development":
            raise ValueError(
                "Set SECONDCHANCE_SECRET_KEY (or SECONDCHANCE_SECRET_KEY_FILE): the default key "
                "is only for development."
            )
        return key

    def resolved_password_hashing(self) -> str:
        """Return how to hash passwords; ValueError for the test suite's cheap hashing in
        production, where a stolen database would then be quick to guess passwords from."""
        if self.password_hashing != "standard" and self.environment == "production":
            raise ValueError(
                f"SECONDCHANCE_PASSWORD_HASHING={self.password_hashing} is only for tests; "
                "leave it unset in production."
            )
        return self.password_hashing
