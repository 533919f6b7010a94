"""githubkit clients for the app and for each installation, built from `Settings`.

- Every client talks to `settings.github_api_url` (github.com or a GitHub Enterprise Server).
- githubkit's own retry (which repeats POSTs on a 5xx) is replaced by `GitHubRetry`: reads and
  idempotent writes are retried with backoff, creating writes never blindly (see `retry.py`).
- Each installation's client goes through that installation's `RedisPacer` (see `pacer.py`).
- App JWTs and installation tokens are cached in Redis, so workers share one token per
  installation instead of asking for a new one in every job.
- Every answer is counted (method, status, rate limit left) in Redis for `/metrics`.

Hold on to the `Installation` while using its client: githubkit's namespaces keep only a weak
reference to the client (`app.installation(7).gh.rest…` on one line loses it).
"""

from __future__ import annotations

import hashlib
import ssl
from collections.abc import Callable
from functools import cache, cached_property
from typing import Any

import httpx
from githubkit import AppAuthStrategy, AppInstallationAuthStrategy, GitHub
from githubkit.cache import RedisCacheStrategy
from pydantic import BaseModel, ValidationError
from redis import Redis

from bot.github.pacer import RedisPacer
from bot.github.retry import GitHubRetry, RetryPolicy
from bot.metrics import GitHubResponseRecorder, SharedMetrics
from bot.settings import Settings

IDENTITY_TTL_SECONDS = 24 * 3600
API_VERSION_HEADER = "X-GitHub-Api-Version"
DEFAULT_TIMEOUT_SECONDS = 30.0


@cache
def ssl_context() -> ssl.SSLContext:
    """One TLS context per process: githubkit opens an httpx client per request outside a
    `with gh:` block, and building a context for each costs tens of milliseconds."""
    return httpx.create_ssl_context()


class AppIdentity(BaseModel):
    """Who the app is on this GitHub: what its comments and commits are signed with."""

    id: int
    slug: str
    name: str
    html_url: str

    @property
    def bot_login(self) -> str:
        return f"{self.slug}[bot]"


class GitHubApp:
    """The app's entry point to GitHub: app-level requests and per-installation clients."""

    def __init__(
        self,
        settings: Settings,
        redis: Redis,
        *,
        retry: RetryPolicy | None = None,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
    ) -> None:
        self.settings = settings
        self.redis = redis
        self.retry = retry or RetryPolicy()
        self.timeout = timeout
        self._auth = AppAuthStrategy(settings.app_id, settings.private_key_pem())
        server = hashlib.sha1(settings.github_api_url.encode()).hexdigest()[:12]
        self.key_prefix = f"planbot:github:{server}:{settings.app_id}"
        self._cache = RedisCacheStrategy(redis, prefix=f"{self.key_prefix}:auth")
        self.metrics = SharedMetrics(redis)

    def _client(self, auth: AppAuthStrategy | AppInstallationAuthStrategy, pacer: RedisPacer | None,
                installation_id: int | None = None) -> GitHub:
        return GitHub(
            auth,  # type: ignore[arg-type]
            base_url=f"{self.settings.github_api_url}/",
            http_cache=False,
            cache_strategy=self._cache,
            throttler=pacer,
            event_hooks=self._hooks(pacer, installation_id),
            auto_retry=GitHubRetry(self.retry),
            timeout=self.timeout,
            ssl_verify=ssl_context(),
            user_agent="planbot",
        )

    def _hooks(self, pacer: RedisPacer | None, installation_id: int | None) -> dict[str, list[Callable[..., Any]]]:
        hooks: dict[str, list[Callable[..., Any]]] = {}
        if self.settings.github_api_version:
            version = self.settings.github_api_version

            def pin_version(request: httpx.Request) -> None:
                request.headers[API_VERSION_HEADER] = version

            hooks["request"] = [pin_version]
        # counted first: the recorder never raises, while the pacer's Redis calls may
        hooks["response"] = [GitHubResponseRecorder(self.metrics, installation_id)]
        if pacer is not None:
            hooks["response"].append(pacer.observe)
        return hooks

    @cached_property
    def as_app(self) -> GitHub[AppAuthStrategy]:
        """A client authenticated as the app itself (JWT): `/app`, installation look-ups."""
        return self._client(self._auth, None)  # type: ignore[return-value]

    def identity(self) -> AppIdentity:
        """The app's id, slug and name, from `GET /app` (cached in Redis for a day)."""
        key = f"{self.key_prefix}:identity"
        cached = self.redis.get(key)
        if cached is not None:
            try:
                return AppIdentity.model_validate_json(cached)
            except ValidationError:
                self.redis.delete(key)
        app = self.as_app.rest.apps.get_authenticated().parsed_data
        if app is None or not app.slug:
            raise RuntimeError("GET /app did not describe the app (is APP_ID right for this key?)")
        identity = AppIdentity(id=app.id, slug=app.slug, name=app.name, html_url=app.html_url)
        self.redis.set(key, identity.model_dump_json(), ex=IDENTITY_TTL_SECONDS)
        return identity

    def installation_id_for(self, owner: str, repo: str) -> int:
        """The installation that covers a repository (404 when the app is not installed there)."""
        return self.as_app.rest.apps.get_repo_installation(owner, repo).parsed_data.id

    def pacer(self, installation_id: int) -> RedisPacer:
        # a write's lease outlives its request and the token fetch inside it, each up to `timeout`
        return RedisPacer(self.redis, installation_id, self.settings.write_interval_seconds,
                          prefix=f"{self.key_prefix}:pacer", lease_seconds=2 * self.timeout + 60)

    def installation(self, installation_id: int) -> Installation:
        pacer = self.pacer(installation_id)
        client = self._client(self._auth.as_installation(installation_id), pacer, installation_id)
        return Installation(installation_id, client, pacer, self)  # type: ignore[arg-type]


class Installation:
    """One installation: its paced client (`gh`) and who the app is (`identity`)."""

    def __init__(self, installation_id: int, gh: GitHub[AppInstallationAuthStrategy], pacer: RedisPacer,
                 app: GitHubApp) -> None:
        self.id = installation_id
        self.gh = gh
        self.pacer = pacer
        self.app = app

    @property
    def retry(self) -> RetryPolicy:
        return self.app.retry

    @cached_property
    def identity(self) -> AppIdentity:
        return self.app.identity()
