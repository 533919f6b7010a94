"""Shared fixtures: a throw-away Redis server (never the machine's shared one)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.listening import LocalServer, free_port


class RedisServer(LocalServer):
    """A redis-server process with no persistence, on a free port or on `port` (where a restarted
    server takes the place of one that was stopped, its data lost)."""

    def __init__(self, directory: Path, port: int | None = None) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed (.ci/run installs it with apt-get)")
        port = port or free_port()
        super().__init__([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                          "--dir", str(directory)], port, seconds=10, what="redis-server")

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    yield server
    server.stop()


@pytest.fixture
def redis_url(redis_server: RedisServer) -> Iterator[str]:
    """The throw-away server's URL, flushed before each test."""
    import redis

    client = redis.Redis.from_url(redis_server.url)
    client.flushall()
    client.close()
    yield redis_server.url


def setting_names() -> tuple[str, ...]:
    """Every environment variable planbot's settings read (from the settings models themselves),
    and the ones `planbot setup` writes beside them."""
    from pydantic import AliasChoices

    from bot.settings import Settings

    names: list[str] = []
    for field in Settings.model_fields.values():
        if isinstance(field.validation_alias, AliasChoices):
            names += [choice for choice in field.validation_alias.choices if isinstance(choice, str)]
    return (*names, "GITHUB_CLIENT_ID", "GITHUB_CLIENT_SECRET")


SETTING_NAMES = setting_names()


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """No planbot setting in the environment, and the working folder a fresh one (no stray `.env`)."""
    for name in SETTING_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return monkeypatch
