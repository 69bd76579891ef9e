"""Related stories: precision@5 of khabar's method against the naive "same
section, latest first" list, on SaudiNewsNet (../shared/corpus), in one run.

SaudiNewsNet has no category field, so the category is taken from the URL
(the corpus README's suggestion) for the three outlets whose URLs carry one:
  alwatan    first path segment: /Politics/, /Sports/, /Economy/, /Local/ ...
  3alyoum    /news/<sub>/ (local, golobal, pol, regions) or the first segment
             (finance, sports, culture, technology, opinion)
  aljazirah  the letters of the page name: ln1.htm (local news), sp3.htm
             (sports), ec2.htm (economy) ...
Only those ~8,000 articles take part, as queries and as candidates. The
outlet (`source`) plays the site's "section", the coarse facet every story
has: the naive baseline lists the latest stories of the same outlet, and
khabar's method gets the same-section bonus from it. The corpus has no tags.
A related story is a hit when it has the query's category; precision@5 is
the mean share of hits among each query's five related stories.

Run:  .venv/bin/python benchmarks/related.py [--limit N]
"""

import argparse
import gzip
import json
import re
import time
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from khabar.intelligence.scoring import CANDIDATES, final_score, qualifies
from khabar.intelligence.terms import article_terms

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "saudinewsnet" / "articles.jsonl.gz"
K = 5


def category(source: str, url: str) -> str | None:
    parts = urlsplit(url)
    segments = [unquote(s) for s in parts.path.split("/") if s]
    if source == "alwatan" and len(segments) == 2 and segments[1] == "News_Detail.aspx":
        return segments[0]
    if source == "3alyoum" and segments:
        if segments[0] == "news" and len(segments) > 1 and segments[1] != "a":
            return "news/" + segments[1]
        return segments[0] if segments[0] != "news" else None
    if source == "aljazirah" and segments:
        m = re.match(r"([a-z]+)\d", segments[-1])
        return m.group(1) if m else None
    return None


def load(limit: int | None) -> list[dict]:
    docs = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as lines:
        for line in lines:
            art = json.loads(line)
            label = category(art["source"], art["url"])
            if label is None or not art["content"].strip():
                continue
            art["category"] = f"{art['source']}:{label}"
            art["when"] = datetime.fromisoformat(art["date_extracted"])
            docs.append(art)
            if limit and len(docs) >= limit:
                break
    return docs


def naive(docs: list[dict]) -> list[list[int]]:
    by_source = defaultdict(list)
    for i, d in enumerate(docs):
        by_source[d["source"]].append(i)
    for members in by_source.values():
        members.sort(key=lambda i: (docs[i]["when"], docs[i]["id"]), reverse=True)
    return [[j for j in by_source[d["source"]][: K + 1] if j != i][:K] for i, d in enumerate(docs)]


def khabar_method(docs: list[dict], vectors: list[dict], sections: bool = True) -> list[list[int]]:
    postings = defaultdict(list)
    for i, vec in enumerate(vectors):
        for term, weight in vec.items():
            postings[term].append((i, weight))
    results = []
    for i, vec in enumerate(vectors):
        scores = defaultdict(float)
        for term, weight in vec.items():
            for j, other in postings[term]:
                if j != i:
                    scores[j] += weight * other
        # Like the SQL: the best CANDIDATES by term score, then the final ranking.
        shortlist = sorted(scores.items(), key=lambda item: -item[1])[:CANDIDATES]
        shortlist = [item for item in shortlist if qualifies(terms=item[1], shared_tags=0)]
        ranked = sorted(
            shortlist,
            key=lambda item: (
                -final_score(
                    terms=item[1],
                    shared_tags=0,
                    same_section=sections and docs[item[0]]["source"] == docs[i]["source"],
                    days_apart=(docs[item[0]]["when"] - docs[i]["when"]).total_seconds() / 86400,
                )
            ),
        )
        results.append([j for j, _ in ranked[:K]])
    return results


def precision(docs: list[dict], related: list[list[int]]) -> float:
    total = 0.0
    for i, items in enumerate(related):
        total += sum(docs[j]["category"] == docs[i]["category"] for j in items) / K
    return total / len(docs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="use only the first N labelled articles")
    args = parser.parse_args()
    start = time.perf_counter()
    docs = load(args.limit)
    categories = len({d["category"] for d in docs})
    print(f"articles: {len(docs)} labelled, {categories} categories (source:url-section)")
    vectors = [article_terms(d["title"], d["content"]) for d in docs]
    print(f"terms computed in {time.perf_counter() - start:.1f} s")
    baseline = precision(docs, naive(docs))
    t = time.perf_counter()
    ours = precision(docs, khabar_method(docs, vectors))
    terms_only = precision(docs, khabar_method(docs, vectors, sections=False))
    print(f"ranking in {time.perf_counter() - t:.1f} s")
    print(f"precision@{K}  naive (same section, latest first): {baseline:.3f}")
    print(f"precision@{K}  khabar (terms + section + recency):  {ours:.3f}")
    print(f"precision@{K}  khabar without the section hint:    {terms_only:.3f}")


if __name__ == "__main__":
    main()
