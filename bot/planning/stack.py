"""The target repository's own stack, read from its manifest files."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Dependency(BaseModel):
    name: str
    version: str | None = None  # as the manifest pins it; never invented
    source: str  # the manifest it came from, e.g. "pyproject.toml"


class Stack(BaseModel):
    languages: list[str] = Field(default_factory=list)  # "Python 3.12", "TypeScript", "Go 1.22"
    frameworks: list[str] = Field(default_factory=list)  # "FastAPI", "Django", "Express", …
    databases: list[str] = Field(default_factory=list)  # "PostgreSQL", "Redis", … (drivers and compose services)
    services: list[str] = Field(default_factory=list)  # compose services, e.g. "postgres", "redis"
    test_tools: list[str] = Field(default_factory=list)  # "pytest", "jest", …
    dependencies: list[Dependency] = Field(default_factory=list)
    containerised: bool = False  # a Dockerfile or compose file exists
    manifests: list[str] = Field(default_factory=list)  # files the stack was read from

    @property
    def empty(self) -> bool:
        return not (self.languages or self.frameworks or self.databases or self.dependencies)

    def version_of(self, name: str) -> str | None:
        """The pinned version of a dependency, matched case-insensitively; None when not pinned."""
        wanted = name.lower()
        for dep in self.dependencies:
            if dep.name.lower() == wanted:
                return dep.version
        return None
