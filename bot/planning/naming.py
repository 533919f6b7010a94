"""Feature numbers, short names, branches and folders, the way spec-kit makes them.

spec-kit (`create-new-feature`) names a feature `NNN-short-name`: the highest number among the
`specs/NNN-*` folders and the `NNN-*` branches, plus one, as `%03d`; a short name of the first
three meaningful words of the description (four when exactly four remain), lower-case, stop
words and words under three letters dropped unless written as an upper-case acronym. The folder
is `specs/<that name>`; branch names stay within GitHub's 244-byte limit by cutting the short
name. A repository that installed spec-kit's git extension may configure timestamp numbering
(`YYYYMMDD-HHMMSS`) and a branch name template in `.specify/extensions/git/git-config.yml`
(`branch_numbering`, `branch_template`, `branch_prefix`); `.specify/init-options.json` may
also name the numbering. planbot follows both.

Unlike spec-kit, a title in another script is transliterated (python-slugify) before the
words are picked; Japanese titles, for which transliteration gives no reading, keep only their
ASCII words; a title that leaves nothing gives `feature`.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Literal

import yaml
from pydantic import BaseModel
from slugify import slugify

from bot.planning.feature import Feature
from bot.planning.ports import FileSource

# spec-kit's stop words (create-new-feature), dropped from short names.
STOP_WORDS: frozenset[str] = frozenset(
    "i a an the to for of in on at by with from is are was were be been being have has had do "
    "does did will would should could can may might must shall this that these those my your "
    "our their want need add get set".split()
)
FALLBACK_SHORT_NAME = "feature"
MAX_BRANCH_BYTES = 244  # GitHub's limit on a branch name
GIT_CONFIG_PATH = ".specify/extensions/git/git-config.yml"
INIT_OPTIONS_PATH = ".specify/init-options.json"
TIMESTAMP_FORMAT = "%Y%m%d-%H%M%S"

_SEQUENTIAL = re.compile(r"^(\d{3,})-")
_TIMESTAMP = re.compile(r"^(\d{8}-\d{6})-")
# spec-kit leaves these out of sequential numbering: timestamps, and malformed ones.
_NOT_SEQUENTIAL = re.compile(r"^\d{7,8}-\d{6}(?:-|$)")
_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")

Numbering = Literal["sequential", "timestamp"]


class NamingError(ValueError):
    """The repository's naming configuration cannot be used."""


class NamingConfig(BaseModel):
    numbering: Numbering = "sequential"
    branch_template: str = ""  # "" = `{number}-{slug}`; tokens {author}, {app}, {number}, {slug}


# --- short names ---------------------------------------------------------------------------


def clean_name(text: str) -> str:
    """Lower-case, runs of anything but `a-z0-9` made one hyphen, no hyphen at either end."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _ascii_title(title: str) -> str:
    """The title in ASCII: transliterated, except for Japanese, whose kanji transliteration
    would read as Chinese; there only the ASCII words are kept."""
    text = unicodedata.normalize("NFKC", title)
    if text.isascii():
        return text
    if _KANA.search(text):
        return re.sub(r"[^\x00-\x7f]+", " ", text)
    return slugify(text, lowercase=False, separator=" ")


def short_name(title: str) -> str:
    """spec-kit's short name of a feature title, e.g. "Add a UI for API keys" -> `ui-api-keys`."""
    text = _ascii_title(title)
    words: list[str] = []
    for word in re.sub(r"[^a-z0-9]", " ", text.lower()).split():
        if word in STOP_WORDS:
            continue
        acronym = re.search(rf"(?<![0-9A-Za-z_]){re.escape(word.upper())}(?![0-9A-Za-z_])", text)
        if len(word) >= 3 or acronym:
            words.append(word)
    if words:
        return "-".join(words[: 4 if len(words) == 4 else 3])
    leftover = [part for part in clean_name(text).split("-") if part][:3]
    return "-".join(leftover) or FALLBACK_SHORT_NAME


# --- numbers -------------------------------------------------------------------------------


def _sequential(name: str) -> int | None:
    match = _SEQUENTIAL.match(name)
    if match is None or _NOT_SEQUENTIAL.match(name):
        return None
    return int(match[1])


def next_feature_number(paths: Sequence[str], branches: Sequence[str], *, specs_dir: str = "specs") -> str:
    """The next sequential feature number: the highest `NNN-` among the feature folders in
    `specs_dir` and the branch names (local, remote-tracking like `origin/005-x`, or under a
    namespace like `feature/005-x`: the last path segment counts), plus one, as `%03d`."""
    prefix = f"{specs_dir.strip('/')}/"
    highest = 0
    for path in paths:
        if not path.startswith(prefix):
            continue
        parts = path[len(prefix) :].split("/")
        if len(parts) >= 2:  # a file inside a folder, or the folder itself with a trailing slash
            highest = max(highest, _sequential(parts[0]) or 0)
    for branch in branches:
        highest = max(highest, branch_number(branch) or 0)
    return f"{highest + 1:03d}"


def branch_number(branch: str) -> int | None:
    """The sequential feature number a branch name carries (its last path segment's `NNN-`)."""
    return _sequential(branch.strip().lstrip("*+ ").removeprefix("refs/heads/").rsplit("/", 1)[-1])


def number_taken(feature: Feature, branches: Sequence[str]) -> bool:
    """Does another branch than the feature's own carry the feature's sequential number?"""
    number = _sequential(f"{feature.number}-")
    return number is not None and any(
        branch != feature.branch and branch_number(branch) == number for branch in branches)


# --- configuration -------------------------------------------------------------------------


def validate_branch_template(template: str) -> None:
    """spec-kit's rules: `{number}` present, no `{slug}` before it, and the last path segment
    starting with `{number}-` so the branch still reads as a feature branch."""
    if not template:
        return
    if "{number}" not in template:
        raise NamingError(f"{GIT_CONFIG_PATH}: branch_template must contain {{number}}")
    slug_at = template.find("{slug}")
    if slug_at != -1 and "{number}" in template[slug_at:]:
        raise NamingError(f"{GIT_CONFIG_PATH}: branch_template must not put {{slug}} before {{number}}")
    if not template.rsplit("/", 1)[-1].startswith("{number}-"):
        raise NamingError(f"{GIT_CONFIG_PATH}: the last segment of branch_template must start with {{number}}-")


def read_naming_config(source: FileSource) -> NamingConfig:
    """The numbering and branch template the repository configures for spec-kit, if any."""
    numbering = ""
    template = ""
    git_config = source.read_text(GIT_CONFIG_PATH)
    if git_config is not None:
        try:
            data = yaml.safe_load(git_config) or {}
        except yaml.YAMLError as exc:
            raise NamingError(f"{GIT_CONFIG_PATH} is not valid YAML: {exc}") from exc
        if not isinstance(data, dict):
            raise NamingError(f"{GIT_CONFIG_PATH} must be a mapping of settings")
        numbering = str(data.get("branch_numbering") or "")
        template = str(data.get("branch_template") or "").strip()
        prefix = str(data.get("branch_prefix") or "").strip()
        if not template and prefix:
            template = f"{prefix.rstrip('/')}/{{number}}-{{slug}}"
    if not numbering:
        options = source.read_text(INIT_OPTIONS_PATH)
        if options is not None:
            try:
                data = json.loads(options)
            except json.JSONDecodeError as exc:
                raise NamingError(
                    f"{INIT_OPTIONS_PATH} is not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}"
                ) from exc
            if isinstance(data, dict):
                numbering = str(data.get("branch_numbering") or "")
    validate_branch_template(template)
    return NamingConfig(numbering="timestamp" if numbering == "timestamp" else "sequential", branch_template=template)


# --- features ------------------------------------------------------------------------------


def _fit(build: Callable[[str], str], suffix: str) -> tuple[str, str]:
    """`(name, suffix)` with the suffix cut (at its end, no trailing hyphen) until the name
    built from it fits GitHub's branch-name limit."""
    name = build(suffix)
    while len(name.encode()) > MAX_BRANCH_BYTES and suffix:
        suffix = suffix[:-1].rstrip("-")
        name = build(suffix)
    if len(name.encode()) > MAX_BRANCH_BYTES:
        raise NamingError(f"the branch name {name[:60]}… is longer than {MAX_BRANCH_BYTES} bytes")
    return name, suffix


def render_branch(template: str, number: str, slug: str, *, author: str = "", app: str = "") -> str:
    """A branch name from the template (`{number}-{slug}` when there is none)."""
    if not template:
        return f"{number}-{slug}"
    return (
        template.replace("{author}", clean_name(author) or "unknown")
        .replace("{app}", clean_name(app) or "app")
        .replace("{number}", number)
        .replace("{slug}", slug)
    )


_FILE_NAME = re.compile(r"\.(?:md|markdown|txt|ya?ml|json)$", re.IGNORECASE)
# Names that mark a remote-tracking branch rather than a branch of the repository.
REMOTE_PREFIXES: tuple[str, ...] = ("remotes/", "origin/", "upstream/")


def _feature_folder(name: str) -> re.Match[str] | None:
    match = _TIMESTAMP.match(name)
    if match is None and not _NOT_SEQUENTIAL.match(name):
        match = _SEQUENTIAL.match(name)
    return match if match is not None and len(name) > len(match[0]) else None


def existing_feature(spec_path: str | None, *, specs_dir: str = "specs") -> Feature | None:
    """The feature a spec-kit spec already belongs to: a spec at `specs/NNN-name/spec.md`
    (or any file in such a folder) is planned in that folder and on that branch, never
    renumbered. The folder sits in `specs_dir` or in another folder named `specs` (a
    monorepo's package). None when the path is in no feature folder."""
    if not spec_path:
        return None
    parts = spec_path.strip().strip("/").split("/")
    if _FILE_NAME.search(parts[-1]):
        parts = parts[:-1]
    root = specs_dir.strip("/")
    for index in range(len(parts) - 1, 0, -1):
        parent = "/".join(parts[:index])
        match = _feature_folder(parts[index])
        if match is not None and (parent == root or parts[index - 1] == "specs"):
            folder = parts[index]
            return Feature(
                number=match[1],
                short_name=folder[len(match[0]) :],
                branch=folder,
                directory="/".join(parts[: index + 1]),
            )
    return None


def _branch_for_folder(folder: str, branches: Sequence[str]) -> str:
    """The branch an existing feature folder lives on: the folder's name, or a branch whose
    last segment is that name (a templated branch such as `alice/004-name`)."""
    local = [b.strip().removeprefix("refs/heads/") for b in branches]
    if folder in local:
        return folder
    templated = (b for b in local if b.rsplit("/", 1)[-1] == folder and not b.startswith(REMOTE_PREFIXES))
    return next(templated, folder)


def plan_feature(
    title: str,
    source: FileSource,
    branches: Sequence[str],
    *,
    spec_path: str | None = None,
    specs_dir: str = "specs",
    now: datetime | None = None,
    author: str = "",
    app: str = "",
) -> Feature:
    """The feature to plan: the spec's own folder when it already sits in one, else a new one
    numbered and named as spec-kit would (sequential or timestamp numbering, the configured
    branch template, where `author` and `app` fill `{author}` and `{app}`)."""
    existing = existing_feature(spec_path, specs_dir=specs_dir)
    if existing is not None:
        folder = existing.directory.rsplit("/", 1)[-1]
        return existing.model_copy(update={"branch": _branch_for_folder(folder, branches)})

    config = read_naming_config(source)
    slug = short_name(title)
    if config.numbering == "timestamp":
        number = (now or datetime.now(UTC)).strftime(TIMESTAMP_FORMAT)
    else:
        number = next_feature_number(source.paths(), branches, specs_dir=specs_dir)
    folder, folder_slug = _fit(lambda s: f"{number}-{s}", slug)
    branch, _ = _fit(lambda s: render_branch(config.branch_template, number, s, author=author, app=app), slug)
    return Feature(
        number=number,
        short_name=folder_slug,
        branch=branch,
        directory=f"{specs_dir.strip('/')}/{folder}",
    )
