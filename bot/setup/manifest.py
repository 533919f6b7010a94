"""The GitHub App manifest built from `app.yml`, and the form that sends it to GitHub.

GitHub's manifest flow: the browser POSTs the manifest (JSON) to `/settings/apps/new` (or
`/organizations/{org}/settings/apps/new`) on the GitHub host, with a `state` in the query string;
the person confirms, and GitHub redirects to the manifest's `redirect_url` with `code` and the
same `state`. `app.yml` holds everything but the URLs of this deployment, which come from the
command's options.
"""

from __future__ import annotations

import json
import re
import secrets
from pathlib import Path
from typing import Literal
from urllib.parse import quote, urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.setup import SetupError

GITHUB_WEB_URL = "https://github.com"
GITHUB_API_URL = "https://api.github.com"
ENTERPRISE_API_PATH = "/api/v3"  # where GitHub Enterprise Server serves the REST API on its host
# A GitHub login: letters, digits and single hyphens, neither first nor last, at most 39 characters.
LOGIN_PATTERN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$")


class HookAttributes(BaseModel):
    """Where GitHub posts the app's webhooks."""

    model_config = ConfigDict(extra="forbid")

    url: str
    active: bool = True


class AppManifest(BaseModel):
    """The keys GitHub documents for an app manifest; unknown keys are refused (a typo would
    otherwise be dropped without a word)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=34)  # GitHub's limit for an app's name
    url: str  # the app's homepage
    description: str | None = None
    hook_attributes: HookAttributes
    redirect_url: str | None = None
    callback_urls: list[str] | None = None
    setup_url: str | None = None
    public: bool = False
    default_events: list[str] = Field(default_factory=list)
    default_permissions: dict[str, Literal["read", "write", "admin"]] = Field(default_factory=dict)
    request_oauth_on_install: bool | None = None
    setup_on_update: bool | None = None

    def to_json(self) -> str:
        """The manifest as GitHub reads it from the form (keys left unset are omitted)."""
        return json.dumps(self.model_dump(exclude_none=True), separators=(",", ":"))


class GitHubHost(BaseModel):
    """The web address people use and the REST API root of one GitHub (github.com or a server)."""

    model_config = ConfigDict(frozen=True)

    web_url: str
    api_url: str

    @property
    def enterprise(self) -> bool:
        """Whether this is a GitHub Enterprise Server (or anything but github.com)."""
        return self.web_url != GITHUB_WEB_URL


class ManifestForm(BaseModel):
    """What the browser posts to GitHub: the manifest, to `action` with `state` in the query."""

    model_config = ConfigDict(frozen=True)

    action: str
    state: str
    manifest: AppManifest

    @property
    def post_url(self) -> str:
        return f"{self.action}?state={quote(self.state, safe='')}"


def find_app_yml() -> Path:
    """`app.yml` packed beside the package, or at the root of the checkout the package runs from."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "_app.yml", package.parent / "app.yml"):
        if candidate.is_file():
            return candidate
    raise SetupError("app.yml is missing from this installation: run `planbot setup` from a planbot checkout")


def load_app_manifest(path: Path | None = None) -> AppManifest:
    """The manifest `app.yml` describes, or one line naming what is wrong with the file."""
    source = path or find_app_yml()
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SetupError(f"{source}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise SetupError(f"{source}: not valid YAML{where}") from None
    if not isinstance(data, dict):
        raise SetupError(f"{source}: expected a mapping of manifest keys")
    try:
        return AppManifest.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "manifest"
        raise SetupError(f"{source}: {where}: {first['msg']}") from None


def check_url(value: str, what: str) -> str:
    """An absolute http(s) URL with a host, without trailing spaces; SetupError otherwise."""
    url = value.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SetupError(f"{what} must be an http(s) URL with a host, e.g. https://planbot.example.com: {value!r}")
    return url


def build_manifest(base: AppManifest, *, webhook_url: str, redirect_url: str) -> AppManifest:
    """`base` (from app.yml) with this deployment's webhook URL and the local page's callback."""
    hook = base.hook_attributes.model_copy(update={"url": check_url(webhook_url, "the webhook URL")})
    return base.model_copy(update={"hook_attributes": hook, "redirect_url": check_url(redirect_url, "the redirect URL")})


def github_host(url: str | None = None) -> GitHubHost:
    """github.com (no URL, or any github.com address) or the GitHub Enterprise Server at `url`;
    a bare host name means https, and an API root (`…/api/v3`) is taken back to its host."""
    text = (url or GITHUB_WEB_URL).strip().rstrip("/")
    if "://" not in text:
        text = f"https://{text}"
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise SetupError(f"--github-url must be the GitHub host's address, e.g. https://ghe.example.com: {url!r}")
    if parts.hostname.lower() in ("github.com", "www.github.com", "api.github.com"):
        return GitHubHost(web_url=GITHUB_WEB_URL, api_url=GITHUB_API_URL)
    path = parts.path.rstrip("/").removesuffix(ENTERPRISE_API_PATH)
    web = f"{parts.scheme}://{parts.netloc}{path}"
    return GitHubHost(web_url=web, api_url=f"{web}{ENTERPRISE_API_PATH}")


def new_state() -> str:
    """A random `state` that ties GitHub's redirect to this run of the setup."""
    return secrets.token_urlsafe(32)


def form_action(host: GitHubHost, org: str | None = None) -> str:
    """The page that creates an app: the person's own, or the organisation `org`'s."""
    if org is None:
        return f"{host.web_url}/settings/apps/new"
    if not LOGIN_PATTERN.match(org):
        raise SetupError(f"--org must be an organisation login (letters, digits, hyphens): {org!r}")
    return f"{host.web_url}/organizations/{org}/settings/apps/new"


def manifest_form(manifest: AppManifest, host: GitHubHost, *, org: str | None = None,
                  state: str | None = None) -> ManifestForm:
    """The form that sends `manifest` to GitHub, with a fresh random state unless one is given."""
    return ManifestForm(action=form_action(host, org), state=state or new_state(), manifest=manifest)
