"""Trade the code GitHub's manifest flow redirects back with for the new app's credentials.

`POST {api}/app-manifests/{code}/conversions` needs no authentication: the code itself, valid
for one hour and once, is the proof. The answer is the only time GitHub hands out the app's
private key and webhook secret, so they are kept as secrets from here on.
"""

from __future__ import annotations

from urllib.parse import quote

import httpx
from pydantic import BaseModel, ConfigDict, SecretStr, ValidationError

from bot import __version__
from bot.setup import SetupError

TIMEOUT_SECONDS = 15.0


class AppCredentials(BaseModel):
    """The app GitHub created from the manifest, with the credentials planbot runs on."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: int
    slug: str
    html_url: str
    client_id: str
    client_secret: SecretStr
    webhook_secret: SecretStr | None = None  # null only when the manifest had no webhook
    pem: SecretStr

    @property
    def install_url(self) -> str:
        """The page that installs the app on accounts and repositories."""
        return f"{self.html_url.rstrip('/')}/installations/new"


def exchange_code(api_url: str, code: str, *, client: httpx.Client | None = None,
                  timeout: float = TIMEOUT_SECONDS) -> AppCredentials:
    """The credentials of the app GitHub created for `code`; SetupError in one line otherwise."""
    code = code.strip()
    if not code:
        raise SetupError("GitHub sent no code back")
    url = f"{api_url.rstrip('/')}/app-manifests/{quote(code, safe='')}/conversions"
    headers = {"Accept": "application/vnd.github+json", "User-Agent": f"planbot/{__version__}"}
    try:
        if client is None:
            with httpx.Client(timeout=timeout) as own:
                response = own.post(url, headers=headers)
        else:
            response = client.post(url, headers=headers)
    except httpx.HTTPError as exc:
        raise SetupError(f"cannot reach GitHub at {api_url}: {exc}") from None
    if response.status_code == 404:
        raise SetupError("GitHub does not know this code (it works once, for an hour): run `planbot setup` again")
    if not response.is_success:
        raise SetupError(f"GitHub answered {response.status_code} to the manifest conversion: {_message(response)}")
    try:
        return AppCredentials.model_validate_json(response.content)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "body"
        raise SetupError(f"GitHub's manifest conversion answer is not usable: {where}: {first['msg']}") from None


def _message(response: httpx.Response) -> str:
    """GitHub's `message`, else the start of the body."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        return str(body["message"])
    return " ".join(response.text.split())[:200] or response.reason_phrase
