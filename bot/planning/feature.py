"""A feature's identity in the repository: number, short name, branch and folder."""

from __future__ import annotations

from pydantic import BaseModel


class Feature(BaseModel):
    number: str  # "004", or a timestamp where the repository numbers by time
    short_name: str  # "expense-reports-approval"
    branch: str  # "004-expense-reports-approval"
    directory: str  # "specs/004-expense-reports-approval"

    def path(self, name: str) -> str:
        """A path inside the feature folder, relative to the repository root."""
        return f"{self.directory}/{name}"
