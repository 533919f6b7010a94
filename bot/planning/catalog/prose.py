"""The catalog's prose: titles, questions, option summaries, pros, cons and cost impacts.

Each category keeps its prose in `texts/<category>.yaml`, loaded once and validated here; a
malformed file fails loudly at import. Python holds only triggers and scoring.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator

from bot.planning.decisions import Category, Reversibility

PROSE_DIR = Path(__file__).resolve().parent / "texts"
# libyaml's safe loader when PyYAML was built with it (ten times faster), else the pure-Python one.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MIN_OPTIONS = 2
MAX_OPTIONS = 4

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Trait = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]


class CatalogDataError(ValueError):
    """A catalog prose file is missing or malformed."""


class OptionText(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    title: Text
    summary: Text
    pros: list[Text] = Field(min_length=1)
    cons: list[Text] = Field(min_length=1)
    cost_impact: Text
    reversibility: Reversibility
    traits: list[Trait] = Field(default_factory=list)


class TopicText(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    title: Text
    question: Text
    background: Text  # the general technical background, before the spec's own evidence
    impact_on_implementation: Text
    review_trigger: Text
    options: dict[str, OptionText]  # option id -> prose, in the order the card lists them

    @field_validator("options")
    @classmethod
    def _two_to_four(cls, options: dict[str, OptionText]) -> dict[str, OptionText]:
        if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
            raise ValueError(f"needs {MIN_OPTIONS} to {MAX_OPTIONS} options, has {len(options)}")
        titles = [o.title.lower() for o in options.values()]
        if len(set(titles)) != len(titles):
            raise ValueError("option titles must differ")
        return options


def prose_file(category: Category) -> Path:
    return PROSE_DIR / f"{category.value.lower()}.yaml"


@cache
def load_prose(category: Category) -> dict[str, TopicText]:
    """The topics' prose of one category, keyed by topic (read once)."""
    return read_prose(prose_file(category))


def read_prose(path: Path) -> dict[str, TopicText]:
    """Topics' prose from one YAML file; `CatalogDataError` names the first thing wrong in it."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506 - a safe loader
    except (OSError, yaml.YAMLError) as exc:
        raise CatalogDataError(f"catalog prose {path.name} cannot be read: {exc}") from exc
    if not isinstance(data, dict) or not data:
        raise CatalogDataError(f"catalog prose {path.name} must map topic names to their prose")
    topics: dict[str, TopicText] = {}
    for key, value in data.items():
        try:
            topics[str(key)] = TopicText.model_validate(value)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise CatalogDataError(f"catalog prose {path.name}: {key}.{where}: {first['msg']}") from exc
    return topics
