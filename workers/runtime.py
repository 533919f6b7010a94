"""What a worker process builds once: settings, Redis, the GitHub app, the state store."""

from __future__ import annotations

from dataclasses import dataclass

from redis import Redis

from bot.github.client import GitHubApp
from bot.model.analyst import ModelAnalyst
from bot.model.settings import ModelSettings
from bot.plan_state import StateStore
from bot.planning.ports import Analyst, Researcher
from bot.research.config import servers_from_env
from bot.research.researcher import McpResearcher
from bot.settings import Settings, load_settings


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    redis: Redis
    app: GitHubApp
    states: StateStore
    analyst: Analyst | None = None  # the model that writes decision cards (PLANBOT_MODEL); None: offline
    researcher: Researcher | None = None  # MCP research tools (PLANBOT_MCP_SERVERS); None: none


def build_runtime(settings: Settings) -> Runtime:
    redis = Redis.from_url(settings.redis_url)
    model = ModelSettings()
    analyst = ModelAnalyst(model) if model.enabled else None
    servers = servers_from_env()
    return Runtime(settings=settings, redis=redis, app=GitHubApp(settings, redis), states=StateStore(redis),
                   analyst=analyst, researcher=McpResearcher(servers) if servers else None)


_current: Runtime | None = None


def install(rt: Runtime | None) -> None:
    """Use `rt` for the jobs of this process (an embedding program or a test); None forgets it."""
    global _current
    _current = rt


def runtime() -> Runtime:
    """The worker process's runtime: the installed one, else built from the environment once."""
    global _current
    if _current is None:
        _current = build_runtime(load_settings())
    return _current
