"""contracts/: each file readable in its format; the OpenAPI document valid, naming real FRs."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator, Mapping
from typing import Any

from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError, ValidatorDetectError

from bot.planning.validation.findings import Finding, error
from bot.planning.validation.folder import OPENAPI_NAMES, OpenApiFile, PlanFolder
from bot.planning.validation.spec_facts import REQUIREMENT_REF
from bot.planning.validation.structured import line_containing, line_of_path

HTTP_METHODS: tuple[str, ...] = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
YAML_SUFFIXES: tuple[str, ...] = (".yaml", ".yml")
GRAPHQL_SUFFIXES: tuple[str, ...] = (".graphql", ".graphqls", ".gql")
PROTO_SYNTAX = re.compile(r'^\s*syntax\s*=\s*"proto3"\s*;', re.MULTILINE)
CLOSERS = {")": "(", "]": "[", "}": "{"}


def check(folder: PlanFolder) -> Iterator[Finding]:
    for path in folder.contract_paths:
        text = folder.text(path)
        if text is None:
            continue
        name = posixpath.basename(path)
        if name in OPENAPI_NAMES:
            continue
        if path.endswith(YAML_SUFFIXES):
            parsed = folder.parsed(path)
            if parsed.error:
                yield error(path, parsed.error_line, "contract-parse", parsed.error)
        elif path.endswith(GRAPHQL_SUFFIXES):
            yield from _graphql(path, text)
        elif path.endswith(".proto") and not PROTO_SYNTAX.search(text):
            yield error(path, 1, "proto-syntax", 'no `syntax = "proto3";` line')
    openapi = folder.openapi
    if openapi is not None:
        yield from _openapi(folder, openapi)


def _openapi(folder: PlanFolder, openapi: OpenApiFile) -> Iterator[Finding]:
    parsed = openapi.parsed
    if parsed.error:
        if not openapi.path.endswith(".json"):  # JSON syntax is reported with every other JSON file
            yield error(openapi.path, parsed.error_line, "contract-parse", parsed.error)
        return
    if not isinstance(parsed.data, Mapping):
        yield error(openapi.path, 1, "openapi-invalid", "OpenAPI document is not a mapping")
        return
    problem = _validation_problem(openapi.text, parsed.data)
    if problem is not None:
        yield error(openapi.path, problem[0], "openapi-invalid", problem[1])
    spec = folder.spec
    if spec is not None:
        for keys, fr in _operation_requirements(parsed.data):
            if fr not in spec.requirements:
                line = line_of_path(openapi.text, keys) or 1
                yield error(openapi.path, line, "fr-unknown", f"x-requirements names {fr}, which spec.md does not define")


def _validation_problem(text: str, data: Mapping[str, Any]) -> tuple[int, str] | None:
    """(line, message) of the first reason openapi-spec-validator rejects the document."""
    try:
        validate(data)
    except OpenAPIValidationError as exc:
        where = [str(p) if not isinstance(p, int) else p for p in exc.absolute_path]
        located = " at " + ".".join(str(p) for p in where) if where else ""
        reason = exc.message.strip().splitlines()[0] if exc.message.strip() else "rejected by the validator"
        return line_of_path(text, where) or 1, f"OpenAPI is invalid{located}: {reason}"
    except ValidatorDetectError:
        return 1, "OpenAPI is invalid: no `openapi` (or `swagger`) version field to check it against"
    except Exception as exc:  # noqa: BLE001 - the validator raises unrelated types (e.g. unresolvable $ref)
        ref = getattr(exc, "ref", None)
        if isinstance(ref, str):
            return line_containing(text, ref) or 1, f"OpenAPI is invalid: $ref {ref!r} does not resolve"
        summary = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return 1, f"OpenAPI is invalid: {summary[:300]}"
    return None


def _operation_requirements(data: Mapping[str, Any]) -> Iterator[tuple[list[str | int], str]]:
    """(key path, FR id) for every FR an operation's `x-requirements` names."""
    paths = data.get("paths")
    if not isinstance(paths, Mapping):
        return
    for route, item in paths.items():
        if not isinstance(item, Mapping):
            continue
        for method, operation in item.items():
            if str(method).lower() not in HTTP_METHODS or not isinstance(operation, Mapping):
                continue
            named = operation.get("x-requirements")
            values = named if isinstance(named, list) else [named] if named is not None else []
            for index, value in enumerate(values):
                keys: list[str | int] = ["paths", str(route), str(method), "x-requirements"]
                if isinstance(named, list):
                    keys.append(index)
                for fr in REQUIREMENT_REF.findall(str(value)):
                    yield keys, fr


def _graphql(path: str, text: str) -> Iterator[Finding]:
    """Braces, brackets and parentheses balanced outside comments and strings."""
    stack: list[tuple[str, int]] = []
    cleaned = re.sub(r'"""[\s\S]*?"""', lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    for number, line in enumerate(cleaned.split("\n"), start=1):
        line = re.sub(r'"(?:\\.|[^"\\])*"', "", line).split("#", 1)[0]
        for char in line:
            if char in "([{":
                stack.append((char, number))
            elif char in CLOSERS:
                if not stack or stack[-1][0] != CLOSERS[char]:
                    yield error(path, number, "graphql-unbalanced", f"{char!r} closes nothing that is open")
                    return
                stack.pop()
    if stack:
        char, number = stack[-1]
        yield error(path, number, "graphql-unbalanced", f"{char!r} opened here is never closed")
