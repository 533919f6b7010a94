"""The line-keeping Markdown reader the checks share."""

from __future__ import annotations

from bot.planning.validation.markdown import MarkdownDoc

TEXT = """# Title

- first item
  continues here
  - nested item
- second item
| a | b |

~~~yaml
- not: a list item
~~~
```mermaid
graph TD
"""


def test_fences_are_found_with_their_lines_and_unclosed_ones_marked():
    doc = MarkdownDoc("x.md", TEXT)
    assert [(f.start, f.end, f.info) for f in doc.fences] == [(9, 11, "yaml"), (12, None, "mermaid")]
    assert doc.fences[0].body == ((10, "- not: a list item"),)
    assert not doc.is_prose(10) and not doc.is_prose(13) and doc.is_prose(3)


def test_units_are_list_items_with_their_nested_lines():
    doc = MarkdownDoc("x.md", TEXT)
    assert doc.unit(3) == (3, 5)
    assert doc.unit(4) == (3, 5)
    assert doc.unit(5) == (5, 5)
    assert doc.unit(6) == (6, 6)
    assert doc.unit(7) == (7, 7)  # a table row stands alone
    assert doc.unit(1) == (1, 1)


def test_headings_and_sections():
    doc = MarkdownDoc("x.md", "# A\n\n## B\ntext\n### C\nmore\n## D\n")
    assert [(h.line, h.level, h.text) for h in doc.headings] == [(1, 1, "A"), (3, 2, "B"), (5, 3, "C"), (7, 2, "D")]
    assert list(doc.section(doc.headings[1])) == [4, 5, 6]


def test_lines_are_numbered_as_an_editor_numbers_them():
    doc = MarkdownDoc("x.md", "one\r\ntwo\x0cstill two\nthree")
    assert doc.lines == ["one", "two\x0cstill two", "three"]
