"""Build data/lexicon.tsv.gz, the word-frequency lexicon behind the analyzer's
proclitic decisions, from wordfreq's Arabic list (data CC BY-SA 4.0).

Run ``python -m khabar.arabic.build_lexicon`` after changing normalize() or
upgrading wordfreq. wordfreq is a development dependency only: the analyzer
reads the generated file. Output is byte-for-byte deterministic."""

import gzip
import re
from collections import Counter
from importlib.metadata import version
from pathlib import Path

from .normalize import normalize

OUTPUT = Path(__file__).parent / "data" / "lexicon.tsv.gz"
# Frequencies are stored per billion words (10 ** zipf). Forms below 100 per
# billion (zipf 2) are left out: the analyzer treats them as unknown anyway.
SCALE = 1_000_000_000
MIN_COUNT = 100
_ARABIC_WORD = re.compile("[\u0621-\u063a\u0641-\u064a]+")


def normalized_counts(frequencies: dict[str, float]) -> Counter:
    """Sum frequencies of surface forms that normalise to the same word
    (أنقرة and انقرة), keeping plain Arabic words only."""
    counts: Counter = Counter()
    for word, frequency in frequencies.items():
        key = normalize(word)
        if _ARABIC_WORD.fullmatch(key):
            counts[key] += frequency
    return counts


def lexicon_lines(counts: Counter, source: str) -> list[str]:
    scaled = ((word, round(freq * SCALE)) for word, freq in counts.items())
    kept = sorted((item for item in scaled if item[1] >= MIN_COUNT), key=lambda i: (-i[1], i[0]))
    header = f"# {source}; frequency per billion words; CC BY-SA 4.0, see README.md"
    return [header, *(f"{word}\t{count}" for word, count in kept)]


def main() -> None:
    import wordfreq

    frequencies = wordfreq.get_frequency_dict("ar", wordlist="large")
    source = f"wordfreq {version('wordfreq')} large_ar, normalised"
    lines = lexicon_lines(normalized_counts(frequencies), source)
    data = ("\n".join(lines) + "\n").encode("utf-8")
    # mtime=0 and no file name in the header keep the bytes, and therefore
    # ANALYZER_VERSION, stable across rebuilds.
    with open(OUTPUT, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as out:
        out.write(data)
    print(f"{OUTPUT}: {len(lines) - 1} forms, {OUTPUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()
