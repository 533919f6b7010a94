"""Words of names and statements: casing, plurals, stems, patterns that find a name in text, short quotes."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache


_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")
INVARIANT_PLURALS = frozenset({"data", "metadata", "staff", "media", "series", "news", "status", "feedback"})


def name_words(text: str) -> list[str]:
    """The lower-case words of a name in any casing: `ExpenseReport`, `expense_report`, `submitted at`."""
    return list(_name_words(text))


@lru_cache(maxsize=4096)
def _name_words(text: str) -> tuple[str, ...]:
    return tuple(w.lower() for w in _WORD.findall(text.replace("'s ", " ")))


def snake_case(text: str) -> str:
    return "_".join(name_words(text))


def kebab_case(text: str) -> str:
    return "-".join(name_words(text))


def pascal_case(text: str) -> str:
    return "".join(w.capitalize() for w in name_words(text))


def camel_case(text: str) -> str:
    words = name_words(text)
    return words[0] + "".join(w.capitalize() for w in words[1:]) if words else ""


def pluralize(word: str) -> str:
    lower = word.lower()
    if lower in INVARIANT_PLURALS:
        return word
    if lower.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if lower.endswith("y") and len(lower) > 1 and lower[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def singularize(word: str) -> str:
    lower = word.lower()
    if lower in INVARIANT_PLURALS or lower.endswith(("ss", "us", "is")):
        return word
    if lower.endswith("ies") and len(lower) > 4:
        return word[:-3] + "y"
    if lower.endswith(("ches", "shes", "sses", "xes", "zes")):
        return word[:-2]
    if lower.endswith("s") and len(lower) > 3:
        return word[:-1]
    return word


def is_plural(word: str) -> bool:
    return singularize(word).lower() != word.lower()


def plural_snake(name: str) -> str:
    """A table or collection name: `ExpenseReport` -> `expense_reports`."""
    words = name_words(name)
    return "_".join([*words[:-1], pluralize(words[-1])]) if words else ""


def plural_kebab(name: str) -> str:
    """A REST collection path segment: `ExpenseReport` -> `expense-reports`."""
    return plural_snake(name).replace("_", "-")


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """A crude stem that makes verb, participle and noun forms meet:
    approve/approved/approval -> `approv`, submit/submitted/submission -> `submit`."""
    w = word.lower().strip("'’")
    if w.endswith("ssion") and len(w) > 7:
        w = w[:-5] + "t"
    elif w.endswith("ied") and len(w) > 4:
        w = w[:-3] + "y"
    else:
        for suffix in ("ations", "ation", "ions", "ion", "ings", "ing", "als", "al", "ed", "es", "s", "e"):
            if w.endswith(suffix) and len(w) - len(suffix) >= 3:
                w = w[: -len(suffix)]
                break
    if len(w) > 3 and w[-1] == w[-2]:
        w = w[:-1]
    return w


def _word_alternation(word: str) -> str:
    forms = {word, pluralize(word), singularize(word)}
    return "(?:" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)) + ")"


def phrase_pattern(words: Sequence[str]) -> re.Pattern[str]:
    """A case-insensitive pattern for words written apart, joined, hyphenated or in CamelCase,
    the last word singular or plural: `expense report(s)`, `expense-report`, `ExpenseReport`."""
    parts = [re.escape(w) for w in words[:-1]] + [_word_alternation(words[-1])]
    return re.compile(r"(?<![\w-])" + r"[\s_-]?".join(parts) + r"(?![\w-])", re.IGNORECASE)


def short_quote(text: str, limit: int = 80) -> str:
    """A short quote of a statement: modal prefixes dropped, clipped at a word boundary."""
    clean = " ".join(text.replace("**", "").split())
    clean = re.sub(r"^(?:[A-Za-z-]+\s+){1,4}?(?:must|should|shall|may|can)\s+(?:not\s+)?(?:be able to\s+)?", "",
                   clean, count=1, flags=re.I)
    clean = re.sub(r"\s*\[NEEDS CLARIFICATION:[^\]]*\]", "", clean).rstrip(". ")
    if len(clean) <= limit:
        return clean
    cut = clean[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def human_bytes(value: float) -> str:
    """A byte count as people write it: `20 MB` for 20 MiB or 20,000,000 bytes."""
    for unit, binary, decimal in (("GB", 1024**3, 10**9), ("MB", 1024**2, 10**6), ("KB", 1024, 10**3)):
        if value >= decimal:
            base = binary if value % binary == 0 or value % decimal != 0 else decimal
            return f"{value / base:.3g} {unit}"
    return f"{value:g} bytes"


def human_days(days: float) -> str:
    years = days / 365.25
    if days >= 360 and abs(years - round(years)) < 0.05:
        n = round(years)
        return f"{n} year" + ("s" if n != 1 else "")
    months = days / 30.4
    if days >= 28 and abs(months - round(months)) < 0.1:
        n = round(months)
        return f"{n} month" + ("s" if n != 1 else "")
    return f"{days:g} days"
