"""Settings of the GitHub App, from the environment and `.env`.

The names are the ones Probot apps and GitHub's manifest flow already use (`APP_ID`,
`PRIVATE_KEY`, `WEBHOOK_SECRET`, …), so an existing app's settings carry over; planbot's own
settings start with `PLANBOT_`.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_API_URL = "https://api.github.com"


class SettingsError(RuntimeError):
    """A setting is missing or unusable; the message is one line naming it."""


class QueueSettings(BaseSettings):
    """Where the jobs are: all that `planbot jobs` needs (no app credentials)."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    redis_url: str = Field(default="redis://127.0.0.1:6379/0", validation_alias=AliasChoices("REDIS_URL"))
    queue_name: str = Field(default="planbot", validation_alias=AliasChoices("PLANBOT_QUEUE"))


class Settings(QueueSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    app_id: int = Field(validation_alias=AliasChoices("APP_ID"))
    private_key: SecretStr | None = Field(default=None, validation_alias=AliasChoices("PRIVATE_KEY"))
    private_key_path: Path | None = Field(default=None, validation_alias=AliasChoices("PRIVATE_KEY_PATH"))
    webhook_secret: SecretStr = Field(validation_alias=AliasChoices("WEBHOOK_SECRET"))
    github_api_url: str = Field(default=DEFAULT_API_URL, validation_alias=AliasChoices("GITHUB_API_URL", "GHE_HOST"))

    github_api_version: str | None = Field(
        default=None, validation_alias=AliasChoices("PLANBOT_GITHUB_API_VERSION")
    )  # e.g. "2022-11-28" for a GitHub Enterprise Server that does not know githubkit's newer version
    trigger_label: str = Field(default="needs-plan", validation_alias=AliasChoices("PLANBOT_TRIGGER_LABEL"))
    needs_detail_label: str = Field(default="needs-detail", validation_alias=AliasChoices("PLANBOT_NEEDS_DETAIL_LABEL"))
    delivery_ttl_seconds: int = Field(
        default=3 * 24 * 3600, ge=60, validation_alias=AliasChoices("PLANBOT_DELIVERY_TTL_SECONDS")
    )  # GitHub lets a delivery be redelivered for 3 days
    write_interval_seconds: float = Field(
        default=1.0, ge=0.0, validation_alias=AliasChoices("PLANBOT_WRITE_INTERVAL_SECONDS")
    )  # at least this long between two mutating requests per installation
    sweep_interval_seconds: float = Field(
        default=300.0, ge=30.0, validation_alias=AliasChoices("PLANBOT_SWEEP_INTERVAL_SECONDS")
    )  # how often missed deliveries and stopped plans are looked for
    tally_interval_seconds: float = Field(
        default=300.0, ge=5.0, validation_alias=AliasChoices("PLANBOT_TALLY_INTERVAL_SECONDS")
    )
    lock_ttl_seconds: float = Field(
        default=60.0, gt=0, validation_alias=AliasChoices("PLANBOT_LOCK_TTL_SECONDS")
    )  # a plan's lock lives this long unless its worker keeps renewing it (a killed worker's expires)
    job_retries: int = Field(
        default=3, ge=0, le=10, validation_alias=AliasChoices("PLANBOT_JOB_RETRIES")
    )  # a job that failed for a passing reason (GitHub 5xx, rate limit, a killed worker) runs again this often
    job_retry_seconds: float = Field(
        default=15.0, ge=1.0, validation_alias=AliasChoices("PLANBOT_JOB_RETRY_SECONDS")
    )  # the first retry's delay; each later one waits four times longer, with jitter
    worker_stale_seconds: int = Field(
        default=120, ge=20, validation_alias=AliasChoices("PLANBOT_WORKER_STALE_SECONDS")
    )  # /readyz fails when no worker of the queue has sent a heartbeat for this long
    max_payload_bytes: int = Field(
        default=25 * 1024 * 1024, ge=1024, validation_alias=AliasChoices("PLANBOT_MAX_PAYLOAD_BYTES")
    )
    log_level: str = Field(default="INFO", validation_alias=AliasChoices("PLANBOT_LOG_LEVEL", "LOG_LEVEL"))

    @field_validator("github_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if not value.startswith(("http://", "https://")):
            value = f"https://{value}"
        return value

    @model_validator(mode="after")
    def _one_key(self) -> Settings:
        if self.private_key is None and self.private_key_path is None:
            raise ValueError("PRIVATE_KEY or PRIVATE_KEY_PATH must be set")
        return self

    def private_key_pem(self) -> str:
        """The app's private key as PEM text (a literal `\\n` in an env value counts as a newline)."""
        if self.private_key is not None:
            pem = self.private_key.get_secret_value().replace("\\n", "\n").strip()
        else:
            assert self.private_key_path is not None
            try:
                pem = self.private_key_path.read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise SettingsError(f"PRIVATE_KEY_PATH {self.private_key_path}: {exc.strerror}") from exc
        if "PRIVATE KEY-----" not in pem:
            raise SettingsError("the private key is not a PEM key (expected a -----BEGIN … PRIVATE KEY----- block)")
        return pem + "\n"


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment and `.env`, or one clear line saying what is wrong."""
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else ""
        reason = "is not set" if first["type"] == "missing" else first["msg"]
        raise SettingsError(f"{name} {reason}".strip()) from None
    settings.private_key_pem()  # fail at start-up, not at the first webhook
    return settings
