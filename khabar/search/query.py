"""What a reader typed, turned into analyzed terms. Pure: no database here.

The syntax is small on purpose: words (all must match), "exact phrases",
and -word or -"phrase" to exclude. Everything else a reader types, including
FTS5 or tsquery operators and SQL, is just text for the analyzer, which keeps
letters and digits only. So the back ends only ever receive analyzed terms,
never the reader's syntax."""

import re
from dataclasses import dataclass

from khabar.arabic.analyzer import analyze, is_stopword

# Quote marks Arabic keyboards and word processors produce, read as '"'.
_QUOTES = str.maketrans(dict.fromkeys("«»“”„‟″＂", '"'))
# A phrase runs to the next quote, or to the end if the quote is unbalanced.
_PIECE = re.compile(r'(?P<neg>-?)"(?P<phrase>[^"]*)"?|(?P<neg_word>-?)(?P<word>[^\s"]+)')
# PostgreSQL does not index a word over 2,047 bytes; the index stores terms cut
# to this many characters (4 bytes each at most) and queries are cut alike.
MAX_TERM_CHARS = 200
# A pasted paragraph is not a query; what is past this many items is ignored
# (FTS5 also limits the depth of a MATCH expression).
MAX_ITEMS = 32

Phrase = tuple[str, ...]


@dataclass(frozen=True)
class ParsedQuery:
    """``required`` and ``excluded`` hold phrases: one term or several in order."""

    required: tuple[Phrase, ...] = ()
    excluded: tuple[Phrase, ...] = ()

    def __bool__(self) -> bool:
        # Exclusions alone cannot be searched: "everything but X" is not a query.
        return bool(self.required)

    @property
    def highlight_terms(self) -> frozenset[str]:
        """Terms worth marking in a snippet: not stop words, unless the query
        has nothing else."""
        terms = {term for phrase in self.required for term in phrase}
        content = {term for term in terms if not is_stopword(term)}
        return frozenset(content or terms)


def index_terms(text: str) -> str:
    """The stored form of a text: its analyzed terms, space-separated."""
    return " ".join(term[:MAX_TERM_CHARS] for term in analyze(text))


def parse_query(text: str) -> ParsedQuery:
    words: list[str] = []
    phrases: list[Phrase] = []
    excluded: list[Phrase] = []
    for piece in _PIECE.finditer((text or "").translate(_QUOTES)):
        if piece["phrase"] is not None:
            terms = _terms(piece["phrase"])
            (excluded if piece["neg"] else phrases).append(terms)
        elif piece["neg_word"]:
            # -word leaves stop words out like any bare word; -"في" does not.
            terms = _terms(piece["word"])
            excluded.append(() if all(map(is_stopword, terms)) else terms)
        else:
            words.extend(_terms(piece["word"]))
    content = [term for term in words if not is_stopword(term)]
    phrases = [phrase for phrase in phrases if phrase]
    if content or phrases:
        words = content
    required = [(term,) for term in words] + phrases
    return ParsedQuery(required=_unique(required), excluded=_unique(excluded))


def _terms(text: str) -> Phrase:
    return tuple(term[:MAX_TERM_CHARS] for term in analyze(text))


def _unique(phrases: list[Phrase]) -> tuple[Phrase, ...]:
    return tuple(dict.fromkeys(phrase for phrase in phrases if phrase))[:MAX_ITEMS]


def fts5_match(query: ParsedQuery) -> str:
    """FTS5 MATCH text. Terms hold letters and digits only, so wrapping each
    phrase in double quotes makes it a plain string to FTS5, never syntax."""
    text = " AND ".join(_fts5_phrase(phrase) for phrase in query.required)
    if query.excluded:
        text = f"({text})" + "".join(f" NOT {_fts5_phrase(phrase)}" for phrase in query.excluded)
    return text


def _fts5_phrase(phrase: Phrase) -> str:
    return '"' + " ".join(term.replace('"', '""') for term in phrase) + '"'
