"""What people ask for in a comment: pure parsing, no GitHub.

- `/decide TD002 B <why>`: take option B for TD002 now (several lines, several decisions);
- a quote-reply of a decision comment (GitHub's "Quote reply" puts `> ### TD002: …` at the top)
  whose own text names one option: `Option B`, or a line that is just `B`, or starts `B:` / `B -`;
- `/plan approve`: take the leading option of every open decision;
- `/replan <feedback>`: plan again with the feedback (the rest of the comment counts too).

Commands sit on lines of their own; lines in fenced code blocks and in quotes are text, not
commands, so quoting someone's `/decide` never decides anything.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import BaseModel

_FENCE = re.compile(r"(`{3,}|~{3,})")
_DECIDE = re.compile(r"^/decide[ \t]+(?P<td>td-?\d+)[ \t]*[:=]?[ \t]*(?P<option>[A-Za-z])(?![\w-])[ \t]*[-:–—,.]?[ \t]*(?P<why>.*)$",
                     re.IGNORECASE)
_APPROVE = re.compile(r"^/plan[ \t]+approve(?![\w-])", re.IGNORECASE)
_REPLAN = re.compile(r"^/replan(?![\w-])[ \t]*(?P<feedback>.*)$", re.IGNORECASE)
_QUOTED_TD = re.compile(r"\bTD-?(\d{1,4})\b", re.IGNORECASE)
_NAMED_OPTION = re.compile(r"\boption[ \t]+(?P<option>[A-Za-z])\b", re.IGNORECASE)
_BARE_OPTION = re.compile(r"^[*_]*(?P<option>[A-Za-z])[*_]*(?:[ \t]*(?:[.!:,)–—-]|$)(?P<why>.*))$")


class Decide(BaseModel):
    decision_id: str  # normalised: "TD002"
    option: str  # upper case
    rationale: str = ""
    quoted: bool = False  # from a quote-reply rather than a /decide line


class Approve(BaseModel):
    pass


class Replan(BaseModel):
    feedback: str


Intent = Decide | Approve | Replan


def decision_id(text: str) -> str:
    """`td2`, `TD-002` -> `TD002`."""
    digits = re.sub(r"\D", "", text)
    return f"TD{int(digits):03d}"


def plain_lines(body: str) -> Iterator[tuple[str, bool]]:
    """Each line outside fenced code blocks, stripped, with whether it is quoted (`> …`)."""
    fence: str | None = None
    for line in body.splitlines():
        text = line.strip()
        marker = _FENCE.match(text)
        if fence is not None:
            if marker and marker.group(1)[0] == fence[0] and len(marker.group(1)) >= len(fence) and text == marker.group(1):
                fence = None
            continue
        if marker:
            fence = marker.group(1)
            continue
        yield text, text.startswith(">")


def intents(body: str) -> list[Intent]:
    """Every command in a comment, in order, then a quote-reply decision when there is no command."""
    found: list[Intent] = []
    lines = list(plain_lines(body))
    for index, (text, quoted) in enumerate(lines):
        if quoted:
            continue
        if (decide := _DECIDE.match(text)) is not None:
            found.append(Decide(decision_id=decision_id(decide["td"]), option=decide["option"].upper(),
                                rationale=decide["why"].strip()))
        elif _APPROVE.match(text):
            found.append(Approve())
        elif (replan := _REPLAN.match(text)) is not None:
            rest = [line for line, q in lines[index + 1:] if not q and not line.startswith("/")]
            feedback = "\n".join([replan["feedback"].strip(), *rest]).strip()
            found.append(Replan(feedback=feedback))
    if not found:
        reply = quote_reply(lines)
        if reply is not None:
            found.append(reply)
    return found


def quote_reply(lines: list[tuple[str, bool]]) -> Decide | None:
    """A decision named by a quote-reply: the first TD id in the quoted text, and exactly one
    option named in the reply's own text."""
    quoted_ids = [m.group(1) for text, quoted in lines if quoted for m in _QUOTED_TD.finditer(text)]
    if not quoted_ids:
        return None
    own = [text for text, quoted in lines if not quoted and text]
    options: list[str] = []
    why: list[str] = []
    for text in own:
        named = [m["option"].upper() for m in _NAMED_OPTION.finditer(text)]
        bare = _BARE_OPTION.match(text)
        if named:
            options += named
            why.append(text)
        elif bare is not None:
            options.append(bare["option"].upper())
            if bare["why"] and bare["why"].strip():
                why.append(bare["why"].strip())
        else:
            why.append(text)
    if len(set(options)) != 1:
        return None  # no option named, or several: too unclear to decide anything
    return Decide(decision_id=decision_id(quoted_ids[0]), option=options[0], rationale=" ".join(why).strip(),
                  quoted=True)
