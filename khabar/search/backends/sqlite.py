"""SQLite: FTS5 over the analyzed terms, bm25 with the headline weighted
four times the body.

SQL is put together from constant fragments and Django's compiled SQL for
published(); every value, the MATCH text included, is a bound parameter."""

from khabar.search.query import ParsedQuery, fts5_match

WEIGHTS = "4.0, 1.0"


def _join(base: str) -> str:
    # CROSS JOIN fixes the loop order: walk FTS5's matches and look each
    # story up by primary key. Left to itself the planner walks the published
    # stories and runs the MATCH once per story.
    return " ".join(
        ["FROM search_fts CROSS JOIN (", base, ") AS p ON p.id = search_fts.rowid WHERE search_fts MATCH %s"]
    )


def count(cursor, base: str, params: list, query: ParsedQuery) -> int:
    cursor.execute(" ".join(["SELECT count(*)", _join(base)]), [*params, fts5_match(query)])
    return cursor.fetchone()[0]


def newest(cursor, base: str, params: list, query: ParsedQuery, *, offset: int, limit: int) -> list[int]:
    sql = " ".join(["SELECT p.id", _join(base), "ORDER BY p.published_at DESC, p.id DESC LIMIT %s OFFSET %s"])
    cursor.execute(sql, [*params, fts5_match(query), limit, offset])
    return [row[0] for row in cursor.fetchall()]


def latest(cursor, base: str, params: list, query: ParsedQuery, *, offset: int, limit: int) -> list[int]:
    # FTS5 walks its matches in rowid (= article id) order, so this stops
    # after offset + limit stories instead of reading every match.
    sql = " ".join(["SELECT p.id", _join(base), "ORDER BY search_fts.rowid DESC LIMIT %s OFFSET %s"])
    cursor.execute(sql, [*params, fts5_match(query), limit, offset])
    return [row[0] for row in cursor.fetchall()]


def ranked(cursor, base, params, query, *, now, candidates, recency_days, offset, limit) -> list[int]:
    # bm25 is negative (lower is better): dividing it by the age factor moves
    # older stories towards zero, i.e. down the list.
    sql = " ".join(
        [
            "SELECT id FROM (SELECT p.id, p.published_at, bm25(search_fts,",
            WEIGHTS,
            ") AS score",
            _join(base),
            "ORDER BY search_fts.rowid DESC LIMIT %s)",
            "ORDER BY score / (1.0 + (julianday(%s) - julianday(published_at)) / %s),",
            "published_at DESC, id DESC LIMIT %s OFFSET %s",
        ]
    )
    cursor.execute(sql, [*params, fts5_match(query), candidates, now, recency_days, limit, offset])
    return [row[0] for row in cursor.fetchall()]
