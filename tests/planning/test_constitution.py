from bot.planning.constitution import Constitution, Principle, parse_constitution, sentences

SAMPLE = """# Ledgerly Constitution

## Core Principles

### I. Python services, one language
Back-end services are written in Python 3.12 with FastAPI. New languages need an amendment.

### II. PostgreSQL is the system of record
Persistent business data lives in PostgreSQL 16. Caches may hold copies; nothing else is authoritative.

### III. Test-first (NON-NEGOTIABLE)
Every change starts with a failing test. Contract tests guard every public API.

### IV. Observability
Structured JSON logs, OpenTelemetry traces and Prometheus metrics for every service.

### V. Simplicity
A modular monolith until a measured need says otherwise. No new infrastructure without a decision record.

## Security Requirements

Personal data is encrypted at rest; secrets live in the vault; every endpoint is authenticated.

## Governance

Amendments need two maintainers' approval.

**Version**: 1.2.0 | **Ratified**: 2025-06-01 | **Last Amended**: 2026-09-14
"""

ARABIC = """<!--
Sync Impact Report: 2.0.0 -> 2.1.0
### Not a principle
-->
# Harbour Constitution

## Core Principles

### 1. Library first
Every feature starts as a library
that is tested on its own (e.g. with its own suite). Libraries never share state.

### 2) Events are immutable
- Events are appended, never edited.
- Consumers MUST be idempotent; this rule is non-negotiable.

### Plain words
We write docs in plain English.

```text
### not a heading inside a fence
```

## Performance Standards

### Latency
p95 under **200 ms** for reads.

Version: 2.1.0
"""

TEMPLATE = """

# [PROJECT_NAME] Constitution
<!-- Example: Spec Constitution, TaskFlow Constitution, etc. -->

## Core Principles

### [PRINCIPLE_1_NAME]
<!-- Example: I. Library-First -->
[PRINCIPLE_1_DESCRIPTION]
<!-- Example: Every feature starts as a standalone library -->

### [PRINCIPLE_2_NAME]
[PRINCIPLE_2_DESCRIPTION]

### [PRINCIPLE_3_NAME]
<!-- Example: III. Test-First (NON-NEGOTIABLE) -->
[PRINCIPLE_3_DESCRIPTION]

## [SECTION_2_NAME]

[SECTION_2_CONTENT]

## Governance
<!-- Example: Constitution supersedes all other practices -->

[GOVERNANCE_RULES]

**Version**: [CONSTITUTION_VERSION] | **Ratified**: [RATIFICATION_DATE] | **Last Amended**: [LAST_AMENDED_DATE]
"""


def test_sample_principles_sections_and_version():
    c = parse_constitution(SAMPLE, ".specify/memory/constitution.md")
    assert c.title == "Ledgerly Constitution"
    assert c.path == ".specify/memory/constitution.md"
    assert [p.number for p in c.principles] == ["I", "II", "III", "IV", "V"]
    assert c.principles[1].name == "PostgreSQL is the system of record"
    assert c.principles[1].text.startswith("Persistent business data lives in PostgreSQL 16.")
    assert [p.non_negotiable for p in c.principles] == [False, False, True, False, False]
    assert c.principles[2].name == "Test-first"
    assert list(c.sections) == ["Security Requirements", "Governance"]
    assert c.sections["Governance"] == "Amendments need two maintainers' approval."
    assert c.version == "1.2.0"
    assert c.raw == SAMPLE


def test_cite_returns_the_matching_sentence_with_its_label():
    c = parse_constitution(SAMPLE, "memory/constitution.md")
    assert c.cite(r"postgres") == (
        "Constitution II. PostgreSQL is the system of record",
        "Persistent business data lives in PostgreSQL 16.",
    )
    assert c.cite(r"\bvault\b") == (
        "Constitution: Security Requirements",
        "Personal data is encrypted at rest; secrets live in the vault; every endpoint is authenticated.",
    )
    # Any of several patterns; the first rule in order wins.
    assert c.cite(r"kubernetes", r"contract tests?") == (
        "Constitution III. Test-first",
        "Contract tests guard every public API.",
    )
    assert c.cite(r"kubernetes") is None
    assert c.cite() is None


def test_cite_falls_back_to_the_first_sentence_when_only_the_heading_matches():
    c = parse_constitution(SAMPLE, "memory/constitution.md")
    label, sentence = c.cite("simplicity")
    assert label == "Constitution V. Simplicity"
    assert sentence == "A modular monolith until a measured need says otherwise."


def test_arabic_numbering_unnumbered_headings_comments_and_fences():
    c = parse_constitution(ARABIC, "memory/constitution.md")
    assert c.title == "Harbour Constitution"
    assert [(p.number, p.name) for p in c.principles] == [
        ("1", "Library first"),
        ("2", "Events are immutable"),
        ("", "Plain words"),
    ]
    assert c.principles[0].label == "1. Library first"
    assert c.principles[2].label == "Plain words"
    # "non-negotiable" written in the body marks the principle too
    assert [p.non_negotiable for p in c.principles] == [False, True, False]
    assert "### not a heading inside a fence" in c.principles[2].text
    assert list(c.sections) == ["Performance Standards"]
    assert "Latency" in c.sections["Performance Standards"]
    assert "Version" not in c.sections["Performance Standards"]
    assert c.version == "2.1.0"


def test_cite_joins_wrapped_lines_and_splits_list_items():
    c = parse_constitution(ARABIC, "memory/constitution.md")
    assert c.cite("tested on its own") == (
        "Constitution 1. Library first",
        "Every feature starts as a library that is tested on its own (e.g. with its own suite).",
    )
    assert c.cite("idempotent") == (
        "Constitution 2. Events are immutable",
        "Consumers MUST be idempotent; this rule is non-negotiable.",
    )
    assert c.cite(r"200 ms") == ("Constitution: Performance Standards", "p95 under 200 ms for reads.")


def test_unfilled_template_has_no_principles_sections_or_version():
    c = parse_constitution(TEMPLATE, ".specify/memory/constitution.md")
    assert c.title == "Constitution"
    assert c.principles == []
    assert c.sections == {}
    assert c.version is None
    assert c.cite("library") is None


def test_partly_filled_template_keeps_the_filled_parts():
    filled = "### II. CLI first\nEvery tool has a CLI."
    text = TEMPLATE.replace("### [PRINCIPLE_2_NAME]\n[PRINCIPLE_2_DESCRIPTION]", filled)
    text = text.replace("[CONSTITUTION_VERSION]", "0.1.0")
    c = parse_constitution(text, "c.md")
    assert [p.label for p in c.principles] == ["II. CLI first"]
    assert c.version == "0.1.0"


def test_level_two_numbered_principles_and_articles():
    text = "# X Constitution\n\n## Article I: Library-First Principle\nAll code starts as a library.\n\n" \
        "## Article II - CLI Mandate\nEvery library has a CLI.\n\n## Mix-in rules\nMixins are allowed.\n"
    c = parse_constitution(text, "c.md")
    assert [(p.number, p.name) for p in c.principles] == [("I", "Library-First Principle"), ("II", "CLI Mandate")]
    assert list(c.sections) == ["Mix-in rules"]


def test_emphasised_headings_and_repeated_sections():
    text = "# Y Constitution\n\n## Core Principles\n\n### **IV. Small PRs**\nKeep changes small.\n\n" \
        "## Notes\nFirst note.\n\n## Notes\nSecond note.\n"
    c = parse_constitution(text, "c.md")
    assert [p.label for p in c.principles] == ["IV. Small PRs"]
    assert c.sections == {"Notes": "First note.\n\nSecond note."}


def test_rules_lists_principles_then_sections():
    c = Constitution(
        path="c.md",
        principles=[Principle(number="I", name="One", text="First rule.")],
        sections={"Security": "Be safe."},
    )
    assert c.rules() == [("Constitution I. One", "First rule."), ("Constitution: Security", "Be safe.")]


def test_sentences_handles_abbreviations_and_versions():
    assert sentences("Use Python 3.12 e.g. for services. Then test.\n\n- **Never** skip. Ok") == [
        "Use Python 3.12 e.g. for services.",
        "Then test.",
        "Never skip.",
        "Ok",
    ]
