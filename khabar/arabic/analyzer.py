"""The Arabic search analyzer (ARABIC-TEXT.md §7): text in, search terms out.

Index time and query time both call ``analyze``, and both database back ends
store its output as plain space-separated terms, so SQLite and PostgreSQL see
the same terms. Snowball Arabic (PyStemmer) does the stemming; the code here
fixes what it gets wrong in news text: it never removes وال/فال, it strips a
first و ف ب that belongs to the word (وزارة→زار, فريق→ريق), and country
names and their adjectives land on different stems.

Per word: mistyped ة → clitics (lexicon) → article → nisba → Snowball with a
shielded first letter → post-rules. Where this goes beyond §7, and why:
- a clitic needs a remainder of three letters or more (كان is not ك + ان);
- if the lexicon knows الX, X's first letter is not a clitic (الوزارة,
  الفساد, الكبار): no clitic can follow the article;
- the article is removed before Snowball, not only when Snowball keeps it:
  Snowball applies its noun rules to a word with the article and its verb
  rules first to a bare word (التعاون→تعا but تعاون→تعاون), and queries are
  usually typed without the article;
- a nisba ي after a known noun goes before Snowball (ايراني → ايران);
- a stem under three letters falls back to the word (علي, not عل);
- the mistyped-ة rule asks the lexicon first (الوجه has a real ه).

Latin words are only lower-cased, not stemmed: in Arabic copy they are mostly
names and acronyms, which an English stemmer would damage. Digits stay as
they are (after normalize() turned them into ASCII), and so do words that mix
scripts or letters and digits (كوفيد19).
"""

import gzip
import hashlib
import re
import threading
import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache
from importlib.metadata import version
from pathlib import Path

from .normalize import normalize

# Bump whenever a rule in this module changes what analyze() returns.
RULES_VERSION = "1"

_DATA = Path(__file__).parent / "data"
_LEXICON_PATH = _DATA / "lexicon.tsv.gz"
_STOPWORDS_PATH = _DATA / "stopwords.txt"

# Words Snowball mangles whatever the context (فلسطين→لسط). Normalised forms.
NOSTEM = frozenset({"فلسطين"})
# Words that are never split into clitic + word; protect_names() adds the
# site's tag names at run time. These three have a common remainder (ادي,
# لال, كين) and no definite form in the lexicon to give them away.
_BUILTIN_PROTECT = frozenset({"فادي", "بلال", "بكين"})
PROTECT: set[str] = set(_BUILTIN_PROTECT)

_WORD = re.compile(r"[^\W_]+")
_ARABIC_WORD = re.compile("[\u0620-\u064a\u066e-\u06ff]+")
_CLITICS = "وفبلك"
_DEFINITE = re.compile("[وف]?(?:[بك]?ال|لل)")
# Private-use stand-ins for a first letter that is part of the word: Snowball's
# prefix rules do not know them, so they cannot strip the letter.
_SHIELD = {ord(letter): 0xE000 + i for i, letter in enumerate(_CLITICS)}
_UNSHIELD = {shield: letter for letter, shield in _SHIELD.items()}
_LOOSE = str.maketrans({"ة": "ه", "ى": "ي"})

# Lexicon counts are per billion words. §7's thresholds were 3 and 20
# occurrences in an 8.8M-word news corpus, i.e. about 340 and 2,300 per billion.
_MIN_REST = 340
_MIN_REST_UNKNOWN = 2300
_RATIO = 4
# ك (as, like) is a much rarer clitic than و ف ب ل, and ك-words with a common
# remainder are usually whole words (كانت, كيان, كاس): ask for more evidence.
_RATIO_KAF = 1

_local = threading.local()


def _version() -> str:
    digest = hashlib.sha256(_LEXICON_PATH.read_bytes())
    for part in (sorted(NOSTEM), sorted(_BUILTIN_PROTECT), [version("PyStemmer")]):
        digest.update("\n".join(part).encode())
    return f"{RULES_VERSION}-{digest.hexdigest()[:10]}"


# Store it with the index; re-index when it changes.
ANALYZER_VERSION = _version()


def analyze(text: str) -> list[str]:
    """Search terms of ``text`` in order, stop words included (phrases need them)."""
    return [analyze_word(word) for word in _WORD.findall(normalize(text))]


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """(term, start, end) per word, with start/end indexing the ORIGINAL text,
    so that ``text[start:end]`` is what a highlighter marks (diacritics and
    tatweel included)."""
    normalized, starts, ends = _normalize_with_offsets(text)
    return [
        (analyze_word(match.group()), starts[match.start()], ends[match.end() - 1])
        for match in _WORD.finditer(normalized)
    ]


@lru_cache(maxsize=1 << 18)
def analyze_word(word: str) -> str:
    """Term for one word as found by analyze(): one ``[^\\W_]+`` match of
    normalize() output. Cached: news vocabulary is small."""
    if not _ARABIC_WORD.fullmatch(word):
        return word
    return _analyze_arabic(word) or word


def is_stopword(term: str) -> bool:
    """True for analyzed terms of common function words (في, التي, كان …)."""
    return term in _stop_terms()


def protect_names(names: Iterable[str]) -> None:
    """Never split a clitic off the words of these names (tag, person, place
    names): كالن stays كالن instead of ك + الن. Changes analyze() output for
    those words, and ANALYZER_VERSION does not see it: call this before
    indexing, and re-index articles that use a newly protected name."""
    for name in names:
        for word in _WORD.findall(normalize(name)):
            if _ARABIC_WORD.fullmatch(word):
                PROTECT.add(word)
                if word.startswith("ال") and len(word) > 4:
                    PROTECT.add(word[2:])
    analyze_word.cache_clear()
    _stop_terms.cache_clear()


def _analyze_arabic(word: str) -> str:
    word = _restore_taa_marbuta(word)
    core = _strip_proclitics(word)
    if core.startswith("ال") and len(core) > 4:
        # §7 re-stems when Snowball keeps the article (الشءون→الشء); removing
        # it first also makes definite and bare forms stem alike (see above).
        core = core[2:]
    core = _drop_nisba(core)
    if core in NOSTEM:
        return core.translate(_LOOSE)
    stem = _stem(core)
    if len(stem) < 3:
        # Arabic stems have three letters or more; shorter means Snowball took
        # a letter of the word for a suffix (علي→عل), so keep the word.
        stem = core
    return _post_rules(stem)


def _restore_taa_marbuta(word: str) -> str:
    """السوريه → السورية: a definite noun cannot carry the possessive ه, so a
    final ه is a mistyped ة, unless the lexicon knows the ه spelling better
    (الاتجاه, الوجه end in a real ه)."""
    article = _DEFINITE.match(word)
    if not article or word[-1] != "ه" or len(word) - article.end() < 3:
        return word
    fixed = word[:-1] + "ة"
    lexicon = _lexicon()
    return fixed if lexicon.get(fixed, 0) >= lexicon.get(word, 0) else word


def _drop_nisba(core: str) -> str:
    """ايراني → ايران: Snowball takes the ني of a nisba adjective for a verb's
    object suffix and cuts into the name (ايراني→اير, لبناني→لبنا). Stem the
    noun it derives from instead, when the lexicon knows that noun (bare or
    with the article, like اليابان)."""
    if len(core) < 5 or core[-1] != "ي":
        return core
    base = core[:-1]
    lexicon = _lexicon()
    known = max(lexicon.get(base, 0), lexicon.get("ال" + base, 0))
    return base if known >= _MIN_REST else core


def _strip_proclitics(word: str) -> str:
    """Remove the conjunction و/ف and one preposition ب/ك/ل in front of a
    word, each only when the lexicon says the remainder is a word of its own
    (والسوري, وبالعاصمة, وللادارة). The article is removed afterwards; only
    the clitics in front of it need the lexicon."""
    if word in PROTECT or len(word) < 3:
        return word
    if word[0] in "وف" and _is_clitic(word, word[1:]):
        word = word[1:]
    return _strip_preposition(word)


def _strip_preposition(word: str) -> str:
    if word in PROTECT or len(word) < 3 or word[0] not in "بكل":
        return word
    # لل is ل + ال with the alef dropped (للادارة), or ل + a word in ل (للبنان).
    candidates = ["ال" + word[2:], word[1:]] if word.startswith("لل") else [word[1:]]
    return next((rest for rest in candidates if _is_clitic(word, rest)), word)


def _is_clitic(word: str, rest: str) -> bool:
    """Is the first letter of ``word`` a clitic? Yes when ``rest`` is a common
    word and not much rarer than ``word`` itself (وزارة is far more common
    than زارة, so its و stays)."""
    if len(rest) < 3:
        # Two letters are a function word (لها, وهو) or a wrong split (وعد,
        # كان → ان); content words have three root letters at least.
        return False
    lexicon = _lexicon()
    if lexicon.get("ال" + word, 0) >= _MIN_REST:
        # No clitic comes after the article, so if الX is a word the first
        # letter of X is part of it (الوزارة, الفساد, الكبار).
        return False
    rest_count = lexicon.get(rest, 0)
    if rest in PROTECT:
        rest_count = max(rest_count, _MIN_REST_UNKNOWN)
    word_count = lexicon.get(word, 0)
    if not word_count:
        return rest_count >= _MIN_REST_UNKNOWN
    ratio = _RATIO_KAF if word[0] == "ك" else _RATIO
    return rest_count >= _MIN_REST and ratio * rest_count >= word_count


def _stem(word: str) -> str:
    """Snowball, with a first و ف ب ل ك shielded: any real clitic has been
    removed already, so a letter still there belongs to the word."""
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        # Imported on first use: a web worker that only serves stories never
        # stems, and the module costs it 0.7 MiB (benchmarks/serve.py).
        import Stemmer

        # PyStemmer objects must not be shared between threads.
        stemmer = _local.stemmer = Stemmer.Stemmer("arabic")
    if word[0] not in _CLITICS:
        return stemmer.stemWord(word)
    shielded = chr(_SHIELD[ord(word[0])]) + word[1:]
    return stemmer.stemWord(shielded).translate(_UNSHIELD)


def _post_rules(stem: str) -> str:
    """Fold ة/ى now that Snowball has used them, and trim endings Snowball
    leaves, so that سوريا/السوري/السورية and استخبارات/الاستخبارات meet."""
    stem = stem.translate(_LOOSE)
    if len(stem) >= 6 and stem.endswith("ات"):
        stem = stem[:-2]
    if len(stem) >= 5 and stem.endswith("ا"):
        stem = stem[:-1]
    if len(stem) >= 4 and stem.endswith("ي"):
        stem = stem[:-1]
    return stem


@cache
def _lexicon() -> dict[str, int]:
    """Normalised word → frequency per billion words (see data/README.md)."""
    with gzip.open(_LEXICON_PATH, "rt", encoding="utf-8") as lines:
        rows = (line.rstrip("\n").split("\t") for line in lines if not line.startswith("#"))
        return {word: int(count) for word, count in rows}


@cache
def _stop_terms() -> frozenset[str]:
    lines = _STOPWORDS_PATH.read_text(encoding="utf-8").splitlines()
    words = " ".join(line for line in lines if not line.startswith("#"))
    return frozenset(analyze(words))


def _normalize_with_offsets(text: str) -> tuple[str, list[int], list[int]]:
    """normalize() one cluster (a character and the combining marks after it)
    at a time, recording for each output character the start and end of the
    cluster it came from. Clusters are the units NFKC composes within, so the
    result equals normalize(text) for Arabic and Latin text."""
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for start, end in _clusters(text):
        piece = _normalize_cluster(text[start:end])
        pieces.append(piece)
        starts.extend([start] * len(piece))
        ends.extend([end] * len(piece))
    return "".join(pieces), starts, ends


def _clusters(text: str) -> Iterable[tuple[int, int]]:
    start = 0
    for index in range(1, len(text) + 1):
        if index == len(text) or not unicodedata.combining(text[index]):
            yield start, index
            start = index


_normalize_cluster = lru_cache(maxsize=4096)(normalize)
