"""Where the feature's code goes: the project structure plan.md shows and tasks.md points at."""

from __future__ import annotations

from pydantic import BaseModel, Field


class ProjectLayout(BaseModel):
    language: str  # "Python", "TypeScript", "Go", … or "To be decided" when nothing says
    project_type: str  # "web service", "web application (frontend + backend)", "CLI", "library", "worker"
    source_root: str  # "src/expense_reports", "backend/src", …
    test_root: str  # "tests"
    models_dir: str
    services_dir: str
    api_dir: str | None = None  # None when the feature has no HTTP interface
    jobs_dir: str | None = None  # background jobs / workers, when the decisions call for them
    frontend_dir: str | None = None
    file_extension: str = ".py"
    tree: list[str] = Field(default_factory=list)  # the structure as lines of a directory tree

    def module_path(self, directory: str, stem: str) -> str:
        return f"{directory}/{stem}{self.file_extension}"
