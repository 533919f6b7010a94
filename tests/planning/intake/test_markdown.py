from __future__ import annotations

from bot.planning.intake.markdown import normalise_title, read_markdown

TEXT = """\
Intro paragraph before any heading.

# Title

## Requirements *(mandatory)*

<!-- template guidance: **FR-999**: ignore me -->

- **FR-001**: System MUST do *this*
  - nested one
  - nested `two`
- [x] done task
- [ ] open task

1. first
2. second

### Performance

| Metric | Target |
|---|---|
| p95 | 300 ms |

## Notes

```python
print("code")
```
"""


def test_sections_nest_by_heading_level() -> None:
    doc = read_markdown(TEXT)
    assert [(s.level, s.title) for s in doc.sections()] == [
        (0, ""), (1, "Title"), (2, "Requirements (mandatory)"), (3, "Performance"), (2, "Notes"),
    ]
    title = doc.root.children[0]
    assert [c.title for c in title.children] == ["Requirements (mandatory)", "Notes"]
    assert doc.root.paragraphs() == ["Intro paragraph before any heading."]


def test_list_items_drop_inline_markup_and_keep_nesting() -> None:
    doc = read_markdown(TEXT)
    requirements = doc.root.children[0].children[0]
    items = requirements.items()
    assert items[0].text == "FR-001: System MUST do this"
    assert [c.text for c in items[0].children] == ["nested one", "nested two"]
    assert items[0].full_text() == "FR-001: System MUST do this: nested one; nested two"
    assert (items[1].text, items[1].checked) == ("done task", True)
    assert (items[2].text, items[2].checked) == ("open task", False)
    assert [(i.text, i.ordered, i.number) for i in items[3:]] == [("first", True, 1), ("second", True, 2)]


def test_html_comments_are_not_content() -> None:
    doc = read_markdown(TEXT)
    everything = " ".join(i.full_text() for s in doc.sections() for i in s.items())
    assert "FR-999" not in everything


def test_tables_and_code_blocks() -> None:
    doc = read_markdown(TEXT)
    performance = doc.root.children[0].children[0].children[0]
    assert performance.blocks[0].rows == [["Metric", "Target"], ["p95", "300 ms"]]
    notes = doc.root.children[0].children[1]
    assert (notes.blocks[0].kind, notes.blocks[0].info, notes.blocks[0].text) == ("code", "python", 'print("code")\n')


def test_section_source_is_the_markdown_as_written() -> None:
    doc = read_markdown(TEXT)
    requirements = doc.root.children[0].children[0]
    assert doc.source(requirements).startswith("<!-- template guidance")
    assert "### Performance" in doc.source(requirements)
    assert "### Performance" not in doc.source(requirements, with_subsections=False)
    assert doc.source(requirements.children[0]).endswith("| p95 | 300 ms |")


def test_paragraph_line_breaks_are_kept() -> None:
    doc = read_markdown("**Created**: 2026-01-02  \n**Status**: Draft\n**Input**: text\n")
    assert doc.root.blocks[0].text == "Created: 2026-01-02\nStatus: Draft\nInput: text"


def test_front_matter_is_skipped() -> None:
    doc = read_markdown("---\ntitle: x\n---\n# Real title\n")
    assert [s.title for s in doc.headings()] == ["Real title"]


def test_normalise_title() -> None:
    assert normalise_title("Key Entities *(include if feature involves data)*") == "key entities"
    assert normalise_title("2. Out of Scope:") == "out of scope"
    assert normalise_title("⚡ Quick Guidelines") == "quick guidelines"
    assert normalise_title("User Story 1 - Submit (Priority: P1)") == "user story 1 - submit"
