"""The command-line contract: commands, arguments and exit codes (rendered by contracts-cli.md.j2)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from pydantic import BaseModel, Field

from bot.planning.context import PlanningContext
from bot.planning.contracts import Operation
from bot.planning.datamodel import DataModel
from bot.planning.interfaces.rest import spoken_name
from bot.planning.modeling.words import camel_case, kebab_case, plural_kebab
from bot.planning.openapi import writable_fields


EXIT_CODES: dict[int, str] = {
    0: "success",
    1: "unexpected failure (a bug or an unreadable environment); details on stderr",
    2: "usage error: unknown command, missing or malformed argument",
    3: "not found: a named item or file does not exist",
    4: "conflict: the item is not in a state that allows the command",
    5: "validation failed: the input breaks a rule (details per field on stderr)",
    6: "a system the command depends on is unavailable; retrying later may succeed",
    130: "interrupted (Ctrl-C); partial work is rolled back",
}
_KIND_TO_EXIT = {404: 3, 409: 4, 412: 4, 422: 5, 400: 2, 413: 5, 415: 5, 503: 6}


class CliArgument(BaseModel):
    name: str  # "<expense-report-id>" or "--status"
    description: str
    required: bool = False


class CliCommand(BaseModel):
    command: str  # "expense-reports submit"
    summary: str
    arguments: list[CliArgument] = Field(default_factory=list)
    story: str | None = None
    requirements: list[str] = Field(default_factory=list)
    exit_codes: list[int] = Field(default_factory=list)


_FLAG = re.compile(r"(?<![\w-])(--[a-z][a-z0-9-]*)")
_COMMAND_NAME = re.compile(r"`([a-z][a-z0-9_-]{1,30})(?:\s+[^`]*)?`")


def tool_name(context: PlanningContext) -> str:
    for _, text in context.spec.statements():
        for match in _COMMAND_NAME.finditer(text):
            if not match.group(1).startswith("-"):
                return match.group(1)
    return context.feature.short_name or "tool"


def cli_commands(context: PlanningContext, data_model: DataModel, operations: Sequence[Operation]) -> list[CliCommand]:
    """Commands mirroring the operations (`<tool> <collection> <verb>`), or, for a spec without
    entities, one command per story named by the story's verb."""
    tool = tool_name(context)
    commands: list[CliCommand] = []
    verbs = {"list": "list", "get": "show", "create": "create", "update": "update", "delete": "delete",
             "upload": "add", "download": "download", "run": "run"}
    for op in operations:
        model = data_model.entity(op.entity or "")
        if model is None:
            continue
        verb = verbs.get(op.kind) or op.path.rsplit("/", 1)[-1]
        if op.kind == "list" and op.path.endswith("/history"):
            verb = "history"
        collection = plural_kebab(model.name)
        arguments = [CliArgument(name=f"<{kebab_case(p.removesuffix('Id'))}-id>", description=f"id of the {spoken_name(p.removesuffix('Id'))}", required=True)
                     for p in re.findall(r"\{(\w+)\}", op.path)]
        if op.kind in ("create", "update"):
            for f in writable_fields(model, [f.name for f in model.fields if f.references and f"{{{camel_case(f.references)}Id}}" in op.path]):
                arguments.append(CliArgument(name=f"--{kebab_case(f.name)}", description=f.description or f.type,
                                             required=op.kind == "create" and f.required))
        if op.kind == "upload":
            arguments.append(CliArgument(name="<file>", description="path of the file to upload", required=True))
        if op.kind == "list":
            if model.state_machine is not None:
                arguments.append(CliArgument(name=f"--{model.state_machine.field}", description="filter: " + ", ".join(model.state_machine.states)))
            arguments += [CliArgument(name="--limit", description="items per page (default 25)"),
                          CliArgument(name="--cursor", description="continue after the previous page")]
        commands.append(CliCommand(
            command=f"{tool} {collection} {verb}", summary=op.summary, arguments=arguments, story=op.story,
            requirements=op.requirements,
            exit_codes=sorted({0, 1, 2, *(_KIND_TO_EXIT[c] for c in op.error_statuses if c in _KIND_TO_EXIT)}),
        ))
    if commands:
        return commands
    flags = list(dict.fromkeys(f for _, text in context.spec.statements() for f in _FLAG.findall(text)))
    for story in sorted(context.spec.stories, key=lambda s: (s.priority, s.id)):
        words = re.findall(r"[A-Za-z]+", story.title)
        verb = words[0].lower() if words else "run"
        story_text = f"{story.title} {story.description}"
        arguments = []
        if re.search(r"\b(?:file|files|directory|folder|path)\b", story_text, re.I):
            arguments.append(CliArgument(name="<path>", description="the file or directory to work on", required=True))
        arguments += [CliArgument(name=f, description="as the spec describes") for f in flags if f in story_text]
        requirements = [r.id for r in context.spec.requirements if verb in r.text.lower()]
        commands.append(CliCommand(command=f"{tool} {verb}", summary=story.title, arguments=arguments, story=story.id,
                                   requirements=requirements, exit_codes=[0, 1, 2, 3, 5]))
    return commands
