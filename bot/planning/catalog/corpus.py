"""A list of sentences searched by pattern, fast and in linear time.

The sentences are joined into one text, one per line, once. A pattern is tried only where one
of its anchor words occurs (see `anchors_of`), each sentence at most once; a pattern without
anchors is searched sentence by sentence. Results are memoised per pattern.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from bot.planning.catalog.anchors import anchors_of

# "\0" after each line break stops `\s*` from running on into the next sentence.
_JOIN = "\n\0"


class Corpus:
    def __init__(self, texts: list[str]) -> None:
        self.texts = [t.replace("\n", " ") for t in texts]
        self._text = _JOIN.join(self.texts)
        self._lowered = self._text.lower()
        self._aligned = len(self._lowered) == len(self._text)
        self._starts: list[int] = []
        offset = 0
        for text in self.texts:
            self._starts.append(offset)
            offset += len(text) + len(_JOIN)
        self._memo: dict[re.Pattern[str], tuple[int, ...]] = {}

    def __len__(self) -> int:
        return len(self.texts)

    def _scan(self, pattern: re.Pattern[str]) -> list[int]:
        anchors = anchors_of(pattern)
        if anchors is None or not self._aligned:
            return [i for i, text in enumerate(self.texts) if pattern.search(text)]
        text, lowered, starts = self._text, self._lowered, self._starts
        last = len(starts) - 1
        matched: set[int] = set()
        for anchor in anchors:
            at = lowered.find(anchor)
            while at != -1:
                index = bisect_right(starts, at) - 1
                if index not in matched and not pattern.match(text, at):
                    at = lowered.find(anchor, at + 1)
                    continue
                matched.add(index)
                if index >= last:
                    break
                at = lowered.find(anchor, starts[index + 1])
        return sorted(matched)

    def indices(self, pattern: re.Pattern[str]) -> tuple[int, ...]:
        """Indices of the sentences `pattern` matches, in order, each once."""
        found = self._memo.get(pattern)
        if found is None:
            found = tuple(self._scan(pattern))
            self._memo[pattern] = found
        return found
