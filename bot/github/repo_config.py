"""The repository's planbot settings: `.github/planbot.yml`.

Looked up the way Probot apps look up theirs: the repository's own file, else the same path in
the owner's `.github` repository, else the defaults. A file may start from another one with
`_extends: repo`, `owner/repo`, `repo:path/to/file.yml` or `owner/repo:path/to/file.yml`; the
keys of the extending file replace the other file's keys (a shallow merge, one level deep).

An unknown key or a bad value raises `RepoConfigError`, whose message names the file, the key
and its line, so one comment can tell the maintainer exactly what to fix.
"""

from __future__ import annotations

import base64
import re
from typing import Any, Literal

import yaml
from githubkit.exception import RequestFailed
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from bot.github.client import Installation
from bot.github.refs import branch_name_problem
from bot.settings import Settings

CONFIG_PATH = ".github/planbot.yml"
MAX_CONFIG_BYTES = 64 * 1024  # far more than any real config; larger is a mistake or an attack
ORG_CONFIG_REPO = ".github"
EXTENDS_KEY = "_extends"

Permission = Literal["read", "triage", "write", "maintain", "admin"]
PERMISSION_RANK: dict[str, int] = {"none": 0, "read": 1, "triage": 2, "write": 3, "maintain": 4, "admin": 5}
# the app's trigger label (PLANBOT_TRIGGER_LABEL) is the default of every repository's
APP_TRIGGER_DEFAULT: str = Settings.model_fields["trigger_label"].default

# owner (a GitHub login) / repo : path to a .yml file; the same shape Probot's config plugin takes
EXTENDS_PATTERN = re.compile(
    r"^(?:(?P<owner>[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38})/)?(?P<repo>[\w.-]+)"
    r"(?::(?P<path>[\w./-]+\.ya?ml))?$"
)


class ConfigSource(BaseModel):
    model_config = ConfigDict(frozen=True)

    owner: str
    repo: str
    path: str = CONFIG_PATH

    def __str__(self) -> str:
        return f"{self.owner}/{self.repo}:{self.path}"


class RepoConfigError(ValueError):
    """The repository's config cannot be used; the message says which file, key and line."""

    def __init__(self, message: str, source: ConfigSource, key: str | None = None, line: int | None = None):
        where = str(source) + (f", line {line}" if line is not None else "")
        # one line, whatever a key or value holds: a newline or a control character shows escaped
        shown = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in message)
        super().__init__(f"{where}: {shown}")
        self.source = source
        self.key = key
        self.line = line


class LabelSpec(BaseModel):
    """A label planbot creates when the repository lacks it."""

    model_config = ConfigDict(frozen=True)

    name: str
    color: str  # six hex digits, no '#'
    description: str


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LabelsConfig(_Strict):
    trigger: str = APP_TRIGGER_DEFAULT  # a person adds it to ask for a plan
    needs_detail: str = "needs-detail"  # planbot adds it when the issue is too thin to plan from
    in_review: str = "plan-in-review"  # the plan pull request is open for review
    planned: str = "planned"  # the plan pull request was merged
    rejected: str = "plan-rejected"  # the plan pull request was closed unmerged

    @field_validator("trigger", "needs_detail", "in_review", "planned", "rejected")
    @classmethod
    def _label_name(cls, value: str) -> str:
        value = value.strip()
        if not value or len(value) > 50:
            raise ValueError("a label name has 1 to 50 characters")
        return value

    @model_validator(mode="after")
    def _distinct(self) -> LabelsConfig:
        names = [self.trigger, self.needs_detail, self.in_review, self.planned, self.rejected]
        if len({name.lower() for name in names}) != len(names):
            raise ValueError("each label must have its own name")
        return self

    def specs(self) -> list[LabelSpec]:
        """Every label planbot uses, with the colour and description it is created with."""
        return [
            LabelSpec(name=self.trigger, color="1d76db", description="planbot: plan this issue"),
            LabelSpec(name=self.needs_detail, color="fbca04", description="planbot: the issue needs more detail"),
            LabelSpec(name=self.in_review, color="5319e7", description="planbot: the plan pull request is in review"),
            LabelSpec(name=self.planned, color="0e8a16", description="planbot: the plan was merged"),
            LabelSpec(name=self.rejected, color="b60205", description="planbot: the plan was closed unmerged"),
        ]


class VotersConfig(_Strict):
    min_permission: Permission = "write"  # repository permission that makes a person a voter
    users: list[str] = Field(default_factory=list)  # logins that vote whatever their permission
    teams: list[str] = Field(default_factory=list)  # "team-slug" (of the owner) or "org/team-slug"

    @field_validator("users", "teams")
    @classmethod
    def _names(cls, values: list[str]) -> list[str]:
        cleaned = [value.strip().removeprefix("@") for value in values]
        if any(not value for value in cleaned):
            raise ValueError("names must not be empty")
        return cleaned


class VotingConfig(_Strict):
    window_hours: float = Field(default=72.0, gt=0, le=24 * 90)
    quorum: int = Field(default=1, ge=1)  # eligible votes the leading option needs
    seed_reactions: bool = True  # planbot adds one reaction per option so people can click
    voters: VotersConfig = Field(default_factory=VotersConfig)


class ModelConfig(_Strict):
    """Whether the app's model (PLANBOT_MODEL) may write this repository's plans."""

    enabled: bool = True
    allow_private: bool = False  # a private repository's spec goes to a model only when this says so
    name: str | None = None  # another model of the app's providers, e.g. "anthropic:claude-sonnet-4-5"


class RepoConfig(_Strict):
    labels: LabelsConfig = Field(default_factory=LabelsConfig)
    voting: VotingConfig = Field(default_factory=VotingConfig)
    model: ModelConfig = Field(default_factory=ModelConfig)
    specs_dir: str = "specs"
    branch_prefix: str | None = None  # e.g. "plan/" gives branches like plan/012-short-name

    @field_validator("specs_dir")
    @classmethod
    def _specs_dir(cls, value: str) -> str:
        value = value.strip().strip("/")
        parts = value.split("/")
        if not value or any(part in ("", ".", "..") for part in parts) or ".git" in parts or "\\" in value:
            raise ValueError("must be a folder inside the repository, like `specs` or `docs/specs`")
        return value

    @field_validator("branch_prefix")
    @classmethod
    def _branch_prefix(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        problem = branch_name_problem(f"{value}feature")
        if problem is not None:
            raise ValueError(f"must be usable at the start of a branch name, like `plan/` ({problem})")
        return value


class LoadedConfig(BaseModel):
    config: RepoConfig
    source: ConfigSource | None  # None: no file anywhere, the defaults
    extends: ConfigSource | None = None


def parse_extends(value: object, source: ConfigSource) -> ConfigSource:
    """`repo`, `owner/repo`, `repo:path.yml` or `owner/repo:path.yml` (the owner defaults to the
    extending file's owner, the path to `.github/planbot.yml`)."""
    found = EXTENDS_PATTERN.match(value) if isinstance(value, str) else None
    if found is None:
        raise RepoConfigError(
            f"`{EXTENDS_KEY}` must name a repository (`repo`, `owner/repo`, optionally `:path/to/file.yml`), "
            f"not {value!r}",
            source,
            EXTENDS_KEY,
        )
    return ConfigSource(owner=found["owner"] or source.owner, repo=found["repo"], path=found["path"] or CONFIG_PATH)


def parse_yaml(text: str, source: ConfigSource) -> dict[str, Any]:
    try:
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or "is not valid YAML"
        raise RepoConfigError(f"not valid YAML: {problem}", source, line=line) from None
    except yaml.YAMLError as exc:  # e.g. a control character: the reader's message spans lines
        raise RepoConfigError(f"not valid YAML: {' '.join(str(exc).split())}", source) from None
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(isinstance(key, str) for key in data):
        raise RepoConfigError("must be a mapping of settings (`key: value` lines)", source, line=1)
    return data


def key_line(text: str, path: tuple[str | int, ...]) -> int | None:
    """The line of a key in the YAML text (1-based), found through the parsed node tree."""
    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return None
    line: int | None = None
    for part in path:
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if getattr(k, "value", None) == part), None)
            if match is None:
                return line
            line = match[0].start_mark.line + 1
            node = match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def with_trigger(data: dict[str, Any], trigger: str) -> dict[str, Any]:
    """`data` with the app's trigger label wherever the file does not name one."""
    labels = data.get("labels")
    if labels is None:
        return {**data, "labels": {"trigger": trigger}}
    if isinstance(labels, dict) and "trigger" not in labels:
        return {**data, "labels": {**labels, "trigger": trigger}}
    return data


def validate(data: dict[str, Any], sources: list[tuple[ConfigSource, str, set[str]]],
             trigger: str = APP_TRIGGER_DEFAULT) -> RepoConfig:
    """The config model for merged data; a failure names the file each bad top-level key came from.

    `sources`: (source, text, top-level keys it gave), the extending file first; `trigger`: the
    app's trigger label, used when the files name none.
    """
    try:
        return RepoConfig.model_validate(with_trigger(data, trigger))
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(first["loc"])
        key = ".".join(str(part) for part in loc)
        source, text = sources[0][0], sources[0][1]
        for candidate, candidate_text, keys in sources:
            if loc and loc[0] in keys:
                source, text = candidate, candidate_text
                break
        if first["type"] == "extra_forbidden":
            message = f"unknown key `{key}`"
        else:
            message = f"`{key}`: {first['msg']}" if key else first["msg"]
        raise RepoConfigError(message, source, key or None, key_line(text, loc)) from None


def fetch_text(inst: Installation, source: ConfigSource, ref: str | None = None) -> str | None:
    """A text file from a repository, or None when the file (or the repository) does not exist."""
    try:
        if ref is None:
            response = inst.gh.rest.repos.get_content(source.owner, source.repo, source.path)
        else:
            response = inst.gh.rest.repos.get_content(source.owner, source.repo, source.path, ref=ref)
    except RequestFailed as exc:
        if exc.response.status_code == 404:
            return None
        raise
    data = response.json()
    if not isinstance(data, dict) or data.get("type") != "file":
        raise RepoConfigError("is not a file", source)
    if int(data.get("size") or 0) > MAX_CONFIG_BYTES:
        raise RepoConfigError(f"is {int(data['size']):,} bytes; a planbot config has at most {MAX_CONFIG_BYTES:,}", source)
    if data.get("encoding") != "base64":
        raise RepoConfigError("is too large to read", source)
    try:
        return base64.b64decode(data.get("content", "")).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        raise RepoConfigError("is not UTF-8 text", source) from None


def load_repo_config(inst: Installation, owner: str, repo: str, *, ref: str | None = None) -> LoadedConfig:
    """The config of `owner/repo` (at `ref`, else its default branch); see the module docstring.
    Where no file names a trigger label, the app's (`PLANBOT_TRIGGER_LABEL`) applies."""
    trigger = inst.app.settings.trigger_label
    source = ConfigSource(owner=owner, repo=repo)
    text = fetch_text(inst, source, ref)
    if text is None and repo.lower() != ORG_CONFIG_REPO:
        source = ConfigSource(owner=owner, repo=ORG_CONFIG_REPO)
        text = fetch_text(inst, source)
    if text is None:
        return LoadedConfig(config=RepoConfig.model_validate(with_trigger({}, trigger)), source=None)
    own = parse_yaml(text, source)
    if EXTENDS_KEY not in own:
        return LoadedConfig(config=validate(own, [(source, text, set(own))], trigger), source=source)
    base_source = parse_extends(own.pop(EXTENDS_KEY), source)
    base_text = fetch_text(inst, base_source)
    if base_text is None:
        raise RepoConfigError(f"`{EXTENDS_KEY}` names {base_source}, which does not exist", source, EXTENDS_KEY,
                              key_line(text, (EXTENDS_KEY,)))
    base = parse_yaml(base_text, base_source)
    base.pop(EXTENDS_KEY, None)  # one level deep: the extended file's own `_extends` is not followed
    merged = {**base, **own}
    config = validate(merged, [(source, text, set(own)), (base_source, base_text, set(base))], trigger)
    return LoadedConfig(config=config, source=source, extends=base_source)
