"""Search at scale: SQLite FTS5 and PostgreSQL tsvector against the naive
``icontains`` search on the same stories, in one run.

Loads N stories (default 100,000) by cycling SaudiNewsNet
(../shared/corpus/saudinewsnet/articles.jsonl.gz, or --corpus; it stays
outside the repository), each copy with a varied headline and its own date
over three years, into two benchmark databases: var/bench/search.sqlite3 and
the PostgreSQL database khabar_bench. Then, per engine:
- index build: ``khabar.search.services.reindex()`` (analyze + write), timed;
- index size: the terms table, FTS5's tables / the tsvector and GIN index,
  and the covering index on news_article that search lookups use;
- latency over 200 real queries (1-4 consecutive words of corpus headlines,
  fixed seed), after one warm-up pass, each query the median of 3 runs:
  the ranked first page of 20 (``search_articles(q)[:20]``, articles
  loaded), the result count (the page shows it), both together, and the
  newest-first page;
- icontains (every word in headline or body; count + first page), the way a
  site without a search index does it, on the first 50 queries (each takes
  seconds; --baseline-queries 200 for all).

Run:  .venv/bin/python benchmarks/search.py [--stories 100000] [--reuse] [--skip-build]
Each engine is measured in a child process of its own (Django connects to
one database per process); this process prints the table."""

import argparse
import gzip
import json
import os
import random
import re
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "saudinewsnet" / "articles.jsonl.gz"
SQLITE_PATH = ROOT / "var" / "bench" / "search.sqlite3"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_DB = "khabar_bench"
PAGE = 20
VARIANTS = ["", "عاجل: ", "تحديث: ", "متابعة: ", "تقرير: ", "بالصور: ", "خاص: ", "تحليل: "]
SECTIONS = ["سياسة", "اقتصاد", "رياضة", "ثقافة", "صحة"]
WORD = re.compile(r"[^\W\d_]{2,}")
BATCH = 2000


# -- the parent: orchestrates and prints ----------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--reuse", action="store_true", help="keep loaded databases that have N stories")
    parser.add_argument("--skip-build", action="store_true", help="keep the index too (no build figures)")
    parser.add_argument(
        "--baseline-queries", type=int, default=50, help="run icontains on the first K queries (seconds each)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per query; the median is kept")
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args)))
        return
    results = {}
    for engine in args.engines.split(","):
        print(f"... {engine}: loading and measuring", file=sys.stderr, flush=True)
        env = {
            **os.environ,
            "DATABASE_URL": database_url(engine),
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
        env.pop("REDIS_URL", None)
        command = [sys.executable, __file__, "--child", engine, *sys.argv[1:]]
        output = subprocess.run(command, env=env, check=True, capture_output=True, text=True, cwd=ROOT)
        sys.stderr.write(output.stderr)
        results[engine] = json.loads(output.stdout.strip().splitlines()[-1])
    report(args, results)


def database_url(engine: str) -> str:
    if engine == "sqlite":
        SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{SQLITE_PATH}"
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [PG_DB]).fetchone():
            conn.execute(f'CREATE DATABASE "{PG_DB}"')
    return f"{PG_SERVER}/{PG_DB}"


def report(args, results: dict) -> None:
    first = next(iter(results.values()))
    print(
        f"\nkhabar search benchmark: {first['stories']:,} stories (SaudiNewsNet cycled), "
        f"{first['queries']} queries of 1-4 title words (seed {args.seed}), pages of {PAGE}"
    )
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end")
    columns = [("build s", 8), ("size MB", 8), ("p50 ms", 8), ("p95 ms", 8), ("p99 ms", 8), ("hits mean", 10)]
    header = f"{'':40} " + " ".join(f"{name:>{width}}" for name, width in columns) + f" {'median':>7}"
    print(header)
    print("-" * len(header))
    names = {"sqlite": "SQLite FTS5", "postgresql": "PostgreSQL GIN"}
    for engine, r in results.items():
        whole = [page + count for page, count in zip(r["ranked"], r["ranked_count"], strict=True)]
        rows = [
            ("ranked first page", r["ranked"], r["build_s"], r["size_mb"]),
            ("result count", r["ranked_count"], None, None),
            ("ranked page + count", whole, None, None),
            ("newest-first page", r["newest"], None, None),
            (f"icontains page + count ({len(r['icontains'])} q.)", r["icontains"], None, None),
        ]
        for label, lat, build, size in rows:
            baseline = label.startswith("icontains")
            hits = r["icontains_hits"] if baseline else r["ranked_hits"]
            # The baseline uses no index: "SQLite icontains", not "SQLite FTS5 icontains".
            name = f"{names[engine].split()[0] if baseline else names[engine]} {label}"
            print(
                f"{name:40} {fmt(build):>8} {fmt(size):>8} {pct(lat, 50):8.1f} "
                f"{pct(lat, 95):8.1f} {pct(lat, 99):8.1f} "
                f"{statistics.mean(hits):10.1f} {statistics.median(hits):7.0f}"
            )
    print()
    for engine, r in results.items():
        # Like for like (page + count), over the same queries: the baseline
        # may run on the first K only.
        whole = [page + count for page, count in zip(r["ranked"], r["ranked_count"], strict=True)]
        speedup = pct(r["icontains"], 50) / pct(whole[: len(r["icontains"])], 50)
        target = 20 if engine == "sqlite" else 50
        p95 = pct(r["ranked"], 95)
        print(
            f"{names[engine]}: ranked first page p95 {p95:.1f} ms "
            f"(target <= {target} ms: {verdict(p95 <= target)}); "
            f"page + count {speedup:,.0f}x faster than icontains at p50 "
            f"(target >= 50x: {verdict(speedup >= 50)}); "
            + (f"analyzing took {r['analyze_s']:.0f} s of the build" if r["analyze_s"] else "index reused")
        )
    if len(results) == 2:
        a, b = (r["ranked_hits"] for r in results.values())
        same = sum(x == y for x, y in zip(a, b, strict=True))
        print(f"same result count on both engines: {same} of {len(a)} queries")


def verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def fmt(value) -> str:
    return "-" if value is None else f"{value:.1f}"


def pct(values: list[float], p: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


# -- a child: one engine ---------------------------------------------------------


def child(args) -> dict:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    corpus = read_corpus(args.corpus)
    if not (args.reuse and loaded(args.stories)):
        load_stories(corpus, args.stories, args.seed)
    build_s = analyze_s = None
    if not (args.skip_build and loaded(args.stories)):
        build_s, analyze_s = build_index()
    queries = make_queries(corpus, args.queries, args.seed)
    result = {
        "stories": args.stories,
        "queries": len(queries),
        "build_s": build_s,
        "analyze_s": analyze_s,
        "size_mb": index_size() / 1e6,
    }
    if connection.vendor == "sqlite":
        import sqlite3

        result["sqlite_version"] = sqlite3.sqlite_version
    for sort, key in [("relevance", "ranked"), ("new", "newest")]:
        result[key], result[f"{key}_count"], result[f"{key}_hits"] = measure(queries, sort, args.repeat)
    result["icontains"], result["icontains_hits"] = measure_icontains(queries[: args.baseline_queries])
    return result


def read_corpus(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        rows = (json.loads(line) for line in lines)
        return [r for r in rows if r.get("title") and r.get("content")]


def loaded(stories: int) -> bool:
    from khabar.news.models import Article

    return Article.objects.count() == stories


def load_stories(corpus: list[dict], stories: int, seed: int) -> None:
    """Bulk insert (multi-row INSERTs in big transactions, not a save() per
    row): copy k of a corpus story gets a headline variant and a date of its
    own, spread over three years."""
    from django.db import connection, transaction

    from khabar.news.models import Agency, Article, Section
    from khabar.search.models import IndexState, SearchDocument

    rng = random.Random(seed)
    with transaction.atomic():
        SearchDocument.objects.all().delete()
        IndexState.objects.all().delete()
        Article.objects.all().delete()
        sections = [
            Section.objects.get_or_create(name=n, defaults={"slug": f"s{i}"})[0]
            for i, n in enumerate(SECTIONS)
        ]
        agencies = {}
        for row in corpus:
            if row["source"] not in agencies:
                agencies[row["source"]] = Agency.objects.get_or_create(
                    name=row["source"], defaults={"slug": row["source"]}
                )[0]
    end = datetime(2025, 12, 31, tzinfo=UTC)
    started = time.monotonic()
    batch = []
    for i in range(stories):
        row = corpus[i % len(corpus)]
        copy = i // len(corpus)
        headline = VARIANTS[copy % len(VARIANTS)] + row["title"]
        if copy >= len(VARIANTS):
            headline += f" ({copy})"
        paragraphs = [p.strip() for p in row["content"].split("\n") if p.strip()]
        batch.append(
            Article(
                headline=headline[:300],
                slug=f"bench-{i}",
                summary="",
                body="".join(f"<p>{escape(p)}</p>" for p in paragraphs),
                status=Article.Status.PUBLISHED,
                published_at=end
                - timedelta(seconds=rng.randrange(3 * 365 * 86400))
                - timedelta(microseconds=i),
                section=sections[rng.randrange(len(sections))],
                agency=agencies[row["source"]],
            )
        )
        if len(batch) == BATCH or i == stories - 1:
            with transaction.atomic():
                Article.objects.bulk_create(batch)
            batch = []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE news_article")
    print(
        f"... loaded {stories:,} stories in {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True
    )


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def build_index() -> tuple[float, float]:
    """Rebuild from scratch with the production code; returns (total, analyze) seconds."""
    from django.db import connection

    from khabar.search import services
    from khabar.search.models import IndexState, SearchDocument

    SearchDocument.objects.all().delete()
    IndexState.objects.all().delete()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
    analyzing = 0.0
    fields = services.document_fields

    def timed_fields(article):
        nonlocal analyzing
        t = time.perf_counter()
        value = fields(article)
        analyzing += time.perf_counter() - t
        return value

    services.document_fields = timed_fields
    started = time.monotonic()
    try:
        services.reindex()
    finally:
        services.document_fields = fields
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE search_searchdocument")
    return time.monotonic() - started, analyzing


def index_size() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # The terms table and its indexes, FTS5's shadow tables, and the
            # covering index on news_article that search lookups use.
            cursor.execute(
                "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'search_fts%' "
                "OR name LIKE 'search_searchdocument%' "
                "OR name LIKE 'sqlite_autoindex_search_searchdocument%' "
                "OR name = 'article_lookup_idx'"
            )
        else:
            cursor.execute(
                "SELECT pg_total_relation_size('search_searchdocument') "
                "+ pg_relation_size('article_lookup_idx')"
            )
        return cursor.fetchone()[0]


def make_queries(corpus: list[dict], count: int, seed: int) -> list[str]:
    """1-4 consecutive words of a random headline, as a reader would retype them."""
    from khabar.arabic.analyzer import analyze, is_stopword

    rng = random.Random(seed)
    queries: list[str] = []
    while len(queries) < count:
        words = WORD.findall(rng.choice(corpus)["title"])
        if not words:
            continue
        size = rng.randint(1, min(4, len(words)))
        start = rng.randrange(len(words) - size + 1)
        query = " ".join(words[start : start + size])
        if any(not is_stopword(t) for t in analyze(query)) and query not in queries:
            queries.append(query)
    return queries


def measure(queries: list[str], sort: str, repeat: int) -> tuple[list[float], list[int]]:
    """Per query, the median of ``repeat`` runs (other work on a 2-core
    machine puts spikes into single runs), after one warm-up pass."""
    from khabar.search.selectors import search_articles

    for query in queries:  # warm-up: a live site's caches are warm
        search_articles(query, sort=sort)[:PAGE]
    latencies, counting, hits = [], [], []
    for query in queries:
        runs, count_runs = [], []
        for _ in range(repeat):
            started = time.perf_counter()
            results = search_articles(query, sort=sort)
            page = results[:PAGE]
            runs.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            count = results.count()
            count_runs.append((time.perf_counter() - started) * 1000)
        latencies.append(statistics.median(runs))
        counting.append(statistics.median(count_runs))
        hits.append(count)
        assert len(page) == min(PAGE, count)
    return latencies, counting, hits


def measure_icontains(queries: list[str]) -> tuple[list[float], list[int]]:
    from django.db.models import Q

    from khabar.news.models import Article

    latencies, hits = [], []
    for query in queries:
        started = time.perf_counter()
        found = Article.objects.published()
        for word in query.split():
            found = found.filter(Q(headline__icontains=word) | Q(body__icontains=word))
        count = found.count()
        list(found.for_listing()[:PAGE])
        latencies.append((time.perf_counter() - started) * 1000)
        hits.append(count)
    return latencies, hits


if __name__ == "__main__":
    main()
