"""Which model planbot uses, from the environment (or the CLI's `--model`).

`PLANBOT_MODEL` names it the way pydantic-ai does: `openai:gpt-4.1-mini`, `anthropic:claude-sonnet-4-5`.
With `PLANBOT_MODEL_BASE_URL` set, the name is a model of that OpenAI-compatible server (Ollama,
vLLM, a proxy): `PLANBOT_MODEL=llama3.1` with `PLANBOT_MODEL_BASE_URL=http://127.0.0.1:11434/v1`.
Unset, planbot plans offline.
"""

from __future__ import annotations

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class ModelSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    model: str | None = Field(default=None, validation_alias=AliasChoices("PLANBOT_MODEL"))
    base_url: str | None = Field(default=None, validation_alias=AliasChoices("PLANBOT_MODEL_BASE_URL"))
    api_key: SecretStr | None = Field(default=None, validation_alias=AliasChoices("PLANBOT_MODEL_API_KEY"))
    timeout_seconds: float = Field(default=120.0, gt=0, validation_alias=AliasChoices("PLANBOT_MODEL_TIMEOUT_SECONDS"))
    max_retries: int = Field(default=2, ge=0, le=10, validation_alias=AliasChoices("PLANBOT_MODEL_MAX_RETRIES"))
    concurrency: int = Field(default=8, ge=1, le=64, validation_alias=AliasChoices("PLANBOT_MODEL_CONCURRENCY"))

    @property
    def enabled(self) -> bool:
        return bool(self.model and self.model.strip())
