"""The repository's constitution: principles that drive recommendations and the Constitution Check."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Principle(BaseModel):
    number: str = ""  # "I", "II", "3", or "" when the heading has none
    name: str  # "PostgreSQL is the system of record"
    text: str  # the body under the heading
    non_negotiable: bool = False

    @property
    def label(self) -> str:
        return f"{self.number}. {self.name}" if self.number else self.name


class Constitution(BaseModel):
    title: str = "Constitution"
    path: str  # where it was read from, relative to the repository root
    principles: list[Principle] = Field(default_factory=list)
    sections: dict[str, str] = Field(default_factory=dict)  # other `##` sections, e.g. "Security Requirements"
    version: str | None = None
    raw: str = Field(default="", repr=False)

    def rules(self) -> list[tuple[str, str]]:
        """Every citable rule as `(label, text)`: the principles, then the other sections."""
        out = [(f"Constitution {p.label}", p.text) for p in self.principles]
        out += [(f"Constitution: {name}", text) for name, text in self.sections.items()]
        return out
