"""Tag suggestions: which known names (tags, their aliases, countries and
capitals) a story mentions. Pure functions.

Matching is on whole words after khabar.arabic's fold() (hamza forms,
ة/ه, ى/ي, diacritics and tatweel): مصرف never suggests مصر, قطار never قطر,
and السوريين or السورية never suggest سوريا (an adjective is not the
country). A mention may carry the clitics Arabic writes onto a word: و ف
(and), ب ك ل (in, as, for), in any usual combination (وبدمشق، لتركيا).

The definite article is part of a name and must agree: سوريا is never
written السوريا and الأردن always carries ال, and the name الشرع is not the
verb شرع. Every spelling of the article with a clitic counts as the
article: والأردن، بالأردن، للأردن (ل + ال). Only a name's first word takes
clitics; the words after it must follow exactly (والولايات المتحدة).
"""

import re
from collections import defaultdict
from dataclasses import dataclass

from khabar.arabic.normalize import fold

_WORD = re.compile(r"[^\W_]+")
_CLITICS = ("", "و", "ف", "ب", "ك", "ل", "وب", "وك", "ول", "فب", "فك", "فل")
MIN_CORE = 2  # letters left after the clitics: وب + a one-letter "name" is noise


@dataclass(frozen=True)
class Name:
    """Something that can be suggested: an existing tag (``tag_id``) or a
    place (``kind`` "country"/"capital", ``tag_id`` None until it is a tag)."""

    label: str
    kind: str
    tag_id: int | None = None


@dataclass(frozen=True)
class Suggestion:
    name: Name
    count: int
    first: int  # word position of the first mention


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def _cores(token: str) -> set[str]:
    """Every reading of a text word with its clitics removed."""
    cores = set()
    for clitic in _CLITICS:
        if token.startswith(clitic) and len(token) - len(clitic) >= MIN_CORE:
            rest = token[len(clitic) :]
            cores.add(rest)
            # ل + ال is written لل: للأردن is ل + الأردن.
            if clitic in ("", "و", "ف") and rest.startswith("لل") and len(rest) > 3:
                cores.add("ا" + rest[1:])
    return cores


class Gazetteer:
    """Names indexed by their folded first word."""

    def __init__(self, names: list[tuple[str, Name]]):
        self._by_first: dict[str, list[tuple[tuple[str, ...], Name]]] = defaultdict(list)
        for written, name in names:
            key = tuple(words(written))
            if key:
                self._by_first[key[0]].append((key, name))
        for entries in self._by_first.values():
            entries.sort(key=lambda entry: -len(entry[0]))  # longest first

    def find(self, text: str) -> list[Suggestion]:
        """Names mentioned in ``text``, most mentioned first. Where names
        overlap (جنوب السودان / السودان) the longer one takes the words."""
        tokens = words(text)
        counts: dict[Name, list[int]] = {}
        i = 0
        while i < len(tokens):
            match = self._longest_at(tokens, i)
            if match is None:
                i += 1
                continue
            length, names = match
            for name in names:
                counts.setdefault(name, []).append(i)
            i += length
        found = [Suggestion(name, len(hits), hits[0]) for name, hits in counts.items()]
        return sorted(found, key=lambda s: (-s.count, s.first, s.name.label))

    def _longest_at(self, tokens: list[str], i: int):
        best_length, best = 0, []
        for core in _cores(tokens[i]):
            for key, name in self._by_first.get(core, ()):
                length = len(key)
                if length < best_length or tuple(tokens[i + 1 : i + length]) != key[1:]:
                    continue
                if length > best_length:
                    best_length, best = length, []
                if name not in best:
                    best.append(name)
        return (best_length, best) if best else None
