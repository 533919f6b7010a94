"""The library contract: public functions and their errors (rendered by contracts-library.md.j2)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from pydantic import BaseModel, Field

from bot.planning.context import PlanningContext
from bot.planning.contracts import Operation
from bot.planning.datamodel import DataModel
from bot.planning.modeling.words import camel_case, snake_case


class LibraryFunction(BaseModel):
    name: str
    signature: str
    summary: str
    raises: list[str] = Field(default_factory=list)
    story: str | None = None
    requirements: list[str] = Field(default_factory=list)


def library_functions(context: PlanningContext, data_model: DataModel, operations: Sequence[Operation]) -> tuple[str, list[LibraryFunction]]:
    """The public functions of a library interface, named in the stack's language's style."""
    language = next(iter(context.stack.languages), "Python")
    style = "snake" if re.search(r"python|ruby|rust|elixir", language, re.I) else "camel"
    errors = {404: "NotFoundError", 409: "ConflictError", 412: "ConflictError", 422: "ValidationError",
              400: "ValidationError", 413: "ValidationError", 415: "ValidationError", 503: "UnavailableError"}
    functions: list[LibraryFunction] = []
    for op in operations:
        model = data_model.entity(op.entity or "")
        if model is None:
            continue
        name = snake_case(op.operation_id) if style == "snake" else op.operation_id
        params = [snake_case(p) if style == "snake" else p for p in re.findall(r"\{(\w+)\}", op.path)]
        if op.request_schema:
            params.append("data")
        if op.kind == "list":
            params += ["limit", "cursor"] if style == "snake" else ["options"]
        returns = {"list": f"Page[{model.name}]", "delete": "None", "download": "bytes"}.get(op.kind, model.name)
        functions.append(LibraryFunction(
            name=name, signature=f"{name}({', '.join(params)}) -> {returns}", summary=op.summary,
            raises=sorted({errors[c] for c in op.error_statuses if c in errors}), story=op.story,
            requirements=op.requirements,
        ))
    if not functions:
        for story in sorted(context.spec.stories, key=lambda s: (s.priority, s.id)):
            name = snake_case(story.title) if style == "snake" else camel_case(story.title)
            functions.append(LibraryFunction(name=name, signature=f"{name}(...)", summary=story.title, story=story.id))
    return language, functions
