"""Build data/term_frequencies.tsv.gz: how common each analyzer term is in
general Arabic, the "IDF" half of the TF-IDF weights behind related stories.

Source: wordfreq's Arabic "large" list (data CC BY-SA 4.0), the same source
as the analyzer's lexicon; every form goes through `analyze()` and the
frequencies of forms that land on one term are added up. Run
``python -m khabar.intelligence.build_term_frequencies`` after the analyzer
changes (the header records ANALYZER_VERSION, and
tests/intelligence/test_related.py fails when it differs). wordfreq is a
development dependency only."""

import gzip
from collections import Counter
from importlib.metadata import version

from khabar.arabic.analyzer import ANALYZER_VERSION, analyze

from .terms import TERM_FREQUENCIES, VERSION_PREFIX

SCALE = 1_000_000_000  # frequencies per billion words, like the lexicon
MIN_COUNT = 100


def term_counts(frequencies: dict[str, float]) -> Counter:
    counts: Counter = Counter()
    for word, frequency in frequencies.items():
        for term in analyze(word):
            counts[term] += frequency * SCALE
    return counts


def main() -> None:
    import wordfreq

    counts = term_counts(wordfreq.get_frequency_dict("ar", wordlist="large"))
    kept = sorted(((t, round(c)) for t, c in counts.items() if c >= MIN_COUNT), key=lambda i: (-i[1], i[0]))
    header = (
        f"{VERSION_PREFIX}{ANALYZER_VERSION}\t# wordfreq {version('wordfreq')} large_ar through analyze(); "
        "per billion words; CC BY-SA 4.0, see README.md"
    )
    lines = [header, *(f"{term}\t{count}" for term, count in kept)]
    # mtime=0: the same input gives the same bytes.
    with open(TERM_FREQUENCIES, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
        out.write(("\n".join(lines) + "\n").encode("utf-8"))
    print(f"{len(kept)} terms -> {TERM_FREQUENCIES}")


if __name__ == "__main__":
    main()
