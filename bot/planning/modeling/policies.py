"""Per-entity policies: indexes, constraints, file validation, caching, retention and privacy."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field as dc_field

from bot.planning.context import PlanningContext
from bot.planning.datamodel import EntityModel, Index, Relation
from bot.planning.decisions import TechnicalDecision
from bot.planning.modeling.concerns import has_trait
from bot.planning.modeling.names import NameIndex, Named
from bot.planning.modeling.statements import Statement
from bot.planning.modeling.words import human_bytes, human_days, plural_snake, singularize, snake_case
from bot.planning.spec import MetricKind, Spec


AUDIT_CUE = re.compile(
    r"\baudit\w*|\bhistory\b|\btrail\b|\bwho,? when\b|\btrack(?:s|ing)?\s+(?:of\s+)?(?:every|all|each)?\s*changes?"
    r"|\bchange ?log\b",
    re.I,
)
_CURRENCY_CUE = re.compile(r"\bcurrenc(?:y|ies)\b|\bISO 4217\b|\bmulti-?currency\b|\bexchange rates?\b", re.I)
EXACTLY_ONCE = re.compile(r"\bexactly once\b|\bat most once\b|\bonly once\b|\bnever twice\b|\bno duplicates?\b", re.I)
CONCURRENCY_CUE = re.compile(r"\bat the same (?:moment|time)\b|\bsimultaneous\w*|\bconcurrent\w*|\bsame moment\b|\brace\b", re.I)
DEPARTURE_CUE = re.compile(r"\bleaves?\b|\bleft the\b|\bdeactivat\w*|\boffboard\w*|\bdeparts?\b|\bis removed\b", re.I)
EDIT_VERBS = re.compile(r"\b(edit|update|modify|delete|remove)s?\b", re.I)
_ERASURE_CUE = re.compile(
    r"\b(?:delete|erase|remove|anonymi[sz]e)\w*\b[^.]*\b(?:personal|their) (?:data|information|details)\b|"
    r"\bright to (?:be forgotten|erasure)\b|\berasure\b",
    re.I,
)
PERSONAL_CUE = re.compile(r"\bpersonal (?:data|information)\b|\bPII\b|\bpersonally identifiable\b|\bGDPR\b|\bHIPAA\b|\bhealth data\b", re.I)
_RETENTION_WORDS = re.compile(r"\b(\d+(?:\.\d+)?)\s*(years?|months?|days?|weeks?)\b", re.I)
ENCRYPTED_AT_REST = re.compile(r"encrypt\w*[^.]*\bat rest\b|\bat rest\b[^.]*encrypt", re.I)
_MEDIA_TYPES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"\b(?:images?|photos?|pictures?|photographs?|scans?|screenshots?)\b", ("image/jpeg", "image/png", "image/heic", "image/webp")),
    (r"\bpdfs?\b", ("application/pdf",)),
    (r"\bvideos?\b", ("video/mp4", "video/quicktime")),
    (r"\b(?:audio|recordings?|voice)\b", ("audio/mpeg", "audio/wav")),
    (r"\bcsv\b", ("text/csv",)),
    (r"\b(?:spreadsheets?|excel|xlsx)\b", ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",)),
    (r"\b(?:word documents?|docx)\b", ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",)),
)


def _index_name(prefix: str, table: str, columns: Sequence[str]) -> str:
    return f"{prefix}_{table}_{'_'.join(columns)}"[:63]


def entity_indexes(model: EntityModel) -> list[Index]:
    out: list[Index] = []
    for f in model.fields:
        if f.primary_key:
            continue
        if f.references:
            out.append(Index(name=_index_name("ix", model.table, [f.name]), columns=[f.name],
                             reason=f"foreign key to {f.references}: joins and lists by {f.name.removesuffix('_id')}"))
        elif f.unique:
            reason = "natural key, compared case-insensitively (stored lower-case)" if f.type == "email" else "natural key"
            if f.type == "file":
                reason = "one row per stored object"
            out.append(Index(name=_index_name("ux", model.table, [f.name]), columns=[f.name], unique=True, reason=reason))
        elif f.indexed:
            out.append(Index(name=_index_name("ix", model.table, [f.name]), columns=[f.name], reason=f"filters by {f.name}"))
    machine = model.state_machine
    if machine is not None:
        columns = [machine.field, "created_at"]
        out.append(Index(name=_index_name("ix", model.table, columns), columns=columns,
                         reason="work queues and lists filtered by status, newest first"))
    if model.kind == "run" and model.field("started_at"):
        out.append(Index(name=_index_name("ix", model.table, ["started_at"]), columns=["started_at"],
                         reason="latest runs first"))
    return out


def _currency_check(dialect: str, column: str) -> str:
    return {
        "postgresql": f"CHECK ({column} ~ '^[A-Z]{{3}}$')",
        "mysql": f"CHECK (REGEXP_LIKE({column}, '^[A-Z]{{3}}$', 'c'))",
        "sqlite": f"CHECK (length({column}) = 3 AND {column} = upper({column}))",
        "sqlserver": f"CHECK ({column} LIKE '[A-Z][A-Z][A-Z]')",
    }.get(dialect, f"validator: {column} matches ^[A-Z]{{3}}$")


_TIME_PAIRS = (("started_at", ("finished_at", "ended_at", "completed_at")), ("starts_at", ("ends_at",)),
               ("start_date", ("end_date",)), ("valid_from", ("valid_to", "valid_until")))


def entity_constraints(model: EntityModel, relations: Sequence[Relation], tables: dict[str, str], dialect: str) -> list[str]:
    document = dialect == "document"
    out: list[str] = ["_id is the document key (id)" if document else "PRIMARY KEY (id)"]
    required = [f.name for f in model.fields if f.required and not f.primary_key]
    if required:
        out.append(("validator required: " if document else "NOT NULL: ") + ", ".join(required))
    for f in model.fields:
        check = "validator: {}" if document else "CHECK ({})"
        if f.type == "enum" and f.enum_values:
            values = ", ".join(f"'{v}'" for v in f.enum_values)
            out.append(check.format(f"{f.name} IN ({values})"))
        elif f.type == "money" or (f.type == "integer" and ">= 0" in f.validation):
            out.append(check.format(f"{f.name} >= 0"))
        elif f.type == "currency":
            out.append(_currency_check(dialect, f.name))
        if f.unique and not f.primary_key:
            out.append(f"unique index on {f.name}" if document else f"UNIQUE ({f.name})")
    for relation in relations:
        if relation.source != model.name or not relation.field:
            continue
        target_table = tables.get(relation.target, plural_snake(relation.target))
        f = model.field(relation.field)
        if document:
            out.append(f"reference: {relation.field} -> {target_table}._id (checked by the application)")
            continue
        if relation.composition:
            action = "CASCADE"
        elif f is not None and not f.required:
            action = "SET NULL"
        else:
            action = "RESTRICT"
        out.append(f"FOREIGN KEY ({relation.field}) REFERENCES {target_table} (id) ON DELETE {action}")
        if relation.target == model.name:
            out.append(check_text(document, f"{relation.field} IS NULL OR {relation.field} <> id"))
    names = {f.name for f in model.fields}
    for start, ends in _TIME_PAIRS:
        for end in ends:
            if start in names and end in names:
                out.append(check_text(document, f"{end} IS NULL OR {end} >= {start}"))
    return out


def check_text(document: bool, condition: str) -> str:
    return f"validator: {condition}" if document else f"CHECK ({condition})"


@dataclass
class SpecFacts:
    """What the spec says that several policies read."""

    corpus: list[Statement]
    index: NameIndex
    latency: str = ""  # "p95 under 300 ms (SC-002)"
    mentions_currency: bool = False
    realtime: bool = False
    retention_statements: list[tuple[str, str, str]] = dc_field(default_factory=list)  # (source, figure, text)
    retention_subjects: dict[str, str | None] = dc_field(default_factory=dict)  # statement text -> entity
    erasure: list[Statement] = dc_field(default_factory=list)
    open_questions: dict[str, str] = dc_field(default_factory=dict)  # location -> question
    _about: dict[str, list[Statement]] = dc_field(default_factory=dict, repr=False)
    _about_names: int = dc_field(default=-1, repr=False)  # how many names `_about` was read for

    def about(self, name: str) -> list[Statement]:
        """The statements that name an entity."""
        if self._about_names != len(self.index):  # read anew when a name joins the index
            self._about = self.index.naming((s, s.text) for s in self.corpus)
            self._about_names = len(self.index)
        return self._about.get(name, [])


def spec_facts(context: PlanningContext, corpus: list[Statement], index: NameIndex) -> SpecFacts:
    spec = context.spec
    facts = SpecFacts(corpus=corpus, index=index)
    latency = spec.metrics_of(MetricKind.LATENCY)
    if latency:
        m = latency[0]
        pct = f"p{m.percentile:g} " if m.percentile else ""
        facts.latency = f"{pct}under {m.value:g} ms ({m.source})" if m.source else f"{pct}under {m.value:g} ms"
    facts.mentions_currency = any(_CURRENCY_CUE.search(s.text) for s in corpus) or any(
        a.name.lower() == "currency" for e in spec.entities for a in e.attributes)
    facts.realtime = any(re.search(r"real[- ]?time|\blive\b|without reloading|without refreshing|\bpush\b", s.text, re.I)
                         for s in corpus)
    for requirement in spec.requirements:
        for metric in requirement.metrics:
            if metric.kind is MetricKind.RETENTION:
                facts.retention_statements.append((requirement.id, human_days(metric.value), requirement.text))
    for statement in corpus:
        if statement.source.startswith(("FR", "SC")):
            continue
        match = _RETENTION_WORDS.search(statement.text)
        if match and _KEEP_VERB.search(statement.text):
            facts.retention_statements.append((statement.source, f"{match.group(1)} {match.group(2).lower()}", statement.text))
    facts.retention_subjects = {
        text: retention_subject(text, index) for _, _, text in facts.retention_statements
    }
    facts.erasure = [s for s in corpus if _ERASURE_CUE.search(s.text)]
    facts.open_questions = {q.location: q.question for q in spec.open_questions}
    for requirement in spec.requirements:
        for question in requirement.clarifications:
            facts.open_questions.setdefault(requirement.id, question)
    return facts


def _media_types(texts: Iterable[str]) -> list[str]:
    found: list[str] = []
    joined = " ".join(texts)
    for pattern, types in _MEDIA_TYPES:
        if re.search(pattern, joined, re.I):
            found += [t for t in types if t not in found]
    return found


def file_validation(model: EntityModel, spec: Spec, facts: SpecFacts, named: Named) -> None:
    """Size limits and allowed content types for an entity that stands for a stored file."""
    size = next((f for f in model.fields if f.name.endswith(("size_bytes", "size")) and f.type == "integer"), None)
    content = next((f for f in model.fields if f.name.endswith("content_type")), None)
    for requirement in spec.requirements:
        if not facts.index.mentions(requirement.text, model.name):
            continue
        for metric in requirement.metrics:
            if metric.kind is MetricKind.SIZE and size is not None:
                size.validation.append(f"<= {human_bytes(metric.value)} ({requirement.id})")
                model.constraints.append(check_text(model_is_document(model), f"{size.name} <= {metric.value:.0f}"))
    if content is not None:
        texts = [model.description] + [s.text for s in facts.about(model.name)]
        types = _media_types(texts)
        if types:
            sources = sorted({s.source for s in facts.about(model.name) if _media_types([s.text])})
            cite = f" ({', '.join(sources)})" if sources else ""
            content.validation.append("one of: " + ", ".join(types) + cite)
            content.enum_values = types


def model_is_document(model: EntityModel) -> bool:
    return any(c.startswith("validator") for c in model.constraints)


def caching_strategy(model: EntityModel, td: TechnicalDecision | None, facts: SpecFacts, store: str,
             relations: Sequence[Relation], cache_store: str | None) -> str:
    target = f" ({facts.latency})" if facts.latency else ""
    if td is not None and has_trait(td, r"\b(no-cache|none|no-caching)\b"):
        return f"Not cached — {td.id} chose no application cache; reads go to {store} through the indexes above."
    if model.kind == "audit":
        return f"Not cached — append-only history, written once and read rarely (audits); reads go to {store} by subject."
    if any(f.type == "money" for f in model.fields):
        return (f"Not cached — holds money amounts, which must be read from {store}, the system of record; "
                "lists page through indexed queries instead.")
    if model.state_machine is not None:
        push = " Clients learn of changes through the status events, not by polling a cache." if facts.realtime else ""
        return (f"Not cached — its status changes through the workflow and a stale copy would show the wrong state or "
                f"allow a wrong transition; reads use the ({model.state_machine.field}, created_at) index{target}.{push} "
                "Item responses carry an ETag so clients can revalidate cheaply.")
    if model.kind == "file":
        return ("Bytes: served from the file store through short-lived signed URLs (browser cache private, "
                "max-age below the URL lifetime); immutable once stored, so they are never revalidated. "
                "Metadata row: not cached — read with its parent.")
    if model.kind in ("run", "outcome"):
        why = "an operational record read by few people" if model.kind == "run" else "written once and read with its parent"
        return f"Not cached — {why}; a primary-key or indexed read is enough."
    referenced = sum(1 for r in relations if r.target == model.name and r.source != model.name)
    if model.kind == "person" or model.synced_from or referenced >= 2:
        where = cache_store or "an in-process LRU cache"
        basis = f"per {td.id}" if td is not None else "no caching decision was needed"
        invalidate = "on directory sync and on update" if model.synced_from else "on update"
        return (f"Cache-aside in {where} ({basis}): read often by the records that reference it and changed "
                f"rarely; key `{snake_case(model.name)}:{{id}}`, TTL 15 min, invalidated {invalidate}{target}.")
    return (f"Not cached — reads by primary key or indexed filter are cheap in {store}; add cache-aside only if "
            f"measurements miss the latency target{target}.")


_KEEP_VERB = re.compile(r"\b(?:keep|kept|retain\w*|retention|store[sd]?|archiv\w*|purge[sd]?|delete[sd]? after)\b", re.I)


def retention_subject(text: str, index: NameIndex) -> str | None:
    """The entity a retention statement is about: the last one named before the keep verb,
    else the first one named after it."""
    verb = _KEEP_VERB.search(text)
    if verb is None:
        return None
    before: list[tuple[int, str]] = []
    after: list[tuple[int, str]] = []
    named_here = index.names_in(text)
    for named in index:
        if named.name not in named_here:
            continue
        for match in named.matches(text):
            (before if match.start() < verb.start() else after).append((match.start(), named.name))
    if before:
        return max(before)[1]
    return min(after)[1] if after else None


def retention_policy(model: EntityModel, facts: SpecFacts, named: Named, td: TechnicalDecision | None,
               related_retention: dict[str, str], financial: bool, owner: str | None) -> str:
    own = [(source, figure) for source, figure, text in facts.retention_statements
           if facts.retention_subjects.get(text) == model.name]
    decision = f" Storage lifecycle per {td.id}." if td is not None else ""
    if own:
        sources = ", ".join(dict.fromkeys(s for s, _ in own))
        figure = own[0][1]
        related_retention[model.name] = figure
        return f"Kept for {figure} ({sources}); then deleted by a scheduled purge job.{decision}"
    if model.kind == "outcome" and owner:
        figure = related_retention.get(owner)
        return f"Kept as long as the {owner} it decides{f' ({figure})' if figure else ''}: it is part of that record's history.{decision}"
    if model.kind == "audit":
        longest = max(related_retention.values(), default="", key=_days_of)
        if longest:
            return f"Kept at least as long as the records it explains ({longest}); append-only, never edited.{decision}"
        return f"Kept as long as the records it explains; append-only, never edited.{decision}"
    if financial:
        figures = [figure for _, figure, _ in facts.retention_statements]
        hint = f" The spec's retention figure for related records is {figures[0]}: apply it unless finance sets another." if figures else ""
        question = next((f" Open question ({loc}): {q}" for loc, q in facts.open_questions.items()
                         if re.search(r"retain|retention|financial|record", q, re.I)), "")
        return f"Financial record: kept for the legal retention period; the spec sets none for it.{hint}{question}{decision}"
    if model.synced_from:
        return f"Mirrors {model.synced_from}: rows follow the source system; a person who leaves is deactivated, and erased on request.{decision}"
    return f"No retention period in the spec: kept while the feature uses it, deleted with its owner.{decision}"


def _days_of(figure: str) -> float:
    match = re.match(r"([\d.]+)\s+(\w+)", figure)
    if not match:
        return 0.0
    factor = {"year": 365.25, "month": 30.4, "week": 7.0, "day": 1.0}
    return float(match.group(1)) * factor.get(singularize(match.group(2)), 1.0)


def privacy_policy(model: EntityModel, facts: SpecFacts, encryption: TechnicalDecision | None, at_rest_rule: str,
             named: Named) -> str:
    if not model.personal_data:
        return "No personal data."
    fields = ", ".join(f"`{f.name}`" for f in model.personal_fields) or "the stored content"
    parts = [f"Personal data: {fields}."]
    if encryption is not None:
        level = "field-level encryption" if has_trait(encryption, r"field|column|application-level|envelope") else encryption.effective.title
        parts.append(f"Protected by {level} ({encryption.id}).")
    elif at_rest_rule:
        parts.append(f"Encrypted at rest ({at_rest_rule}).")
    else:
        parts.append("Encrypted at rest by the datastore's storage encryption.")
    erasure = [s for s in facts.erasure]
    if erasure:
        cite = ", ".join(dict.fromkeys(s.source for s in erasure))
        retained = not model.retention.startswith(("No retention period", "Mirrors"))
        if retained:
            parts.append(f"Erasure on request ({cite}): personal fields are anonymised while the record itself is kept "
                         "for its legal retention period.")
        else:
            parts.append(f"Erasure on request ({cite}): rows are deleted or anonymised within the legal deadline.")
        question = next((q for loc, q in facts.open_questions.items() if loc in {s.source for s in erasure}), "")
        if question:
            parts.append(f"Open question: {question}")
    parts.append("Never written to logs or analytics; access limited to the people the stories name.")
    return " ".join(parts)
