"""Write the new app's settings into `.env`, merged with what the file already holds.

The names are the ones `bot.settings` reads. The private key goes in one double-quoted line
with its newlines written as `\\n`, which the dotenv reader behind pydantic-settings (and
Docker Compose's `env_file`) turns back into newlines. The file holds secrets: it is written
with mode 0600, through a fresh file that replaces the old one in one step, so a crash never
leaves half a file and the secrets are never readable by others, not even for a moment.
"""

from __future__ import annotations

import io
import os
import secrets
from collections.abc import Mapping
from pathlib import Path

from dotenv.parser import parse_stream

from bot.setup import SetupError
from bot.setup.exchange import AppCredentials

FILE_MODE = 0o600
# Every setting that describes which app planbot is and where its GitHub lives: set from the new
# app, or removed, so that nothing of a previous app (a key file, another server) lingers.
APP_KEYS = (
    "APP_ID",
    "PRIVATE_KEY",
    "PRIVATE_KEY_PATH",
    "WEBHOOK_SECRET",
    "GITHUB_CLIENT_ID",
    "GITHUB_CLIENT_SECRET",
    "GITHUB_API_URL",
    "GHE_HOST",
)


def env_values(credentials: AppCredentials, api_url: str | None = None) -> dict[str, str]:
    """The settings for `credentials`, in file order; `api_url` only for GitHub Enterprise Server."""
    values = {
        "APP_ID": str(credentials.id),
        "PRIVATE_KEY": credentials.pem.get_secret_value().replace("\r\n", "\n").strip() + "\n",
    }
    if credentials.webhook_secret is not None:
        values["WEBHOOK_SECRET"] = credentials.webhook_secret.get_secret_value()
    values["GITHUB_CLIENT_ID"] = credentials.client_id
    values["GITHUB_CLIENT_SECRET"] = credentials.client_secret.get_secret_value()
    if api_url:
        values["GITHUB_API_URL"] = api_url
    return values


def quote_value(value: str) -> str:
    """`value` double-quoted for a dotenv file: backslashes, quotes and line breaks escaped."""
    escaped = (
        value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    )
    return f'"{escaped}"'


def existing_app_id(path: Path) -> str | None:
    """The APP_ID `path` sets (the last one, as the reader takes it), or None."""
    found: str | None = None
    for binding in parse_stream(io.StringIO(_read(path))):
        if binding.key == "APP_ID" and binding.value:
            found = binding.value.strip() or None
    return found


def check_env_file(path: Path, *, force: bool = False) -> None:
    """SetupError unless the settings can be written to `path` (before any app is created)."""
    if path.is_dir():
        raise SetupError(f"--env-file {path} is a folder")
    if not path.parent.is_dir():
        raise SetupError(f"--env-file {path}: the folder {path.parent} does not exist")
    app_id = existing_app_id(path)
    if app_id is not None and not force:
        raise SetupError(f"{path} already sets APP_ID={app_id}: pass --force to replace that app's settings")


def write_env(path: Path, credentials: AppCredentials, *, api_url: str | None = None, force: bool = False) -> Path:
    """Write the app's settings into `path`, keeping every other setting and comment; returns
    the file written (a symlink's target). Refuses to replace an existing APP_ID unless `force`."""
    check_env_file(path, force=force)
    target = path.resolve()
    merged = merge_env(_read(target), env_values(credentials, api_url))
    _replace(target, merged)
    return target


def merge_env(text: str, values: Mapping[str, str]) -> str:
    """`text` (a dotenv file) with `values` set in place (or appended), other app settings
    (`APP_KEYS`) removed, and every other line kept as it was."""
    out: list[str] = []
    written: set[str] = set()
    for binding in parse_stream(io.StringIO(text)):
        original = binding.original.string
        key = binding.key
        if key is None or key not in APP_KEYS:
            out.append(original)
            continue
        if key in values and key not in written:
            leading = original[: len(original) - len(original.lstrip())]
            out.append(f"{leading}{key}={quote_value(values[key])}\n")
            written.add(key)
    merged = "".join(out)
    rest = [f"{key}={quote_value(value)}\n" for key, value in values.items() if key not in written]
    if rest and merged and not merged.endswith("\n"):
        merged += "\n"
    return merged + "".join(rest)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise SetupError(f"cannot read {path}: {reason}") from None


def _replace(target: Path, text: str) -> None:
    """Write `text` to a new 0600 file beside `target`, then move it over `target` in one step."""
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise SetupError(f"cannot write {target}: {exc.strerror}") from None
