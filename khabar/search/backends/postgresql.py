"""PostgreSQL: the generated tsvector (headline A, body B) and its GIN index.

The tsquery is assembled in SQL from one bound parameter per phrase, each
through phraseto_tsquery('simple', ...): the parser that built the document
splits the terms, and nothing the reader typed is parsed as tsquery syntax.
SQL is put together from constant fragments and Django's compiled SQL for
published(); every value is a bound parameter."""

from khabar.search.query import ParsedQuery

# ts_rank weights for {D, C, B, A}: a headline term counts four times a body
# term, as in the SQLite back end. Normalisation 1 divides by 1 + log(length).
WEIGHTS = "'{0.1, 0.2, 0.25, 1.0}'"


def _tsquery(query: ParsedQuery) -> tuple[str, list[str]]:
    parts = ["phraseto_tsquery('simple', %s)"] * len(query.required)
    parts += ["!!phraseto_tsquery('simple', %s)"] * len(query.excluded)
    params = [" ".join(phrase) for phrase in (*query.required, *query.excluded)]
    return "(" + " && ".join(parts) + ")", params


def _join(base: str, query: ParsedQuery) -> tuple[str, list[str]]:
    tsquery, params = _tsquery(query)
    fragments = ["FROM (", base, ") AS p JOIN search_searchdocument d ON d.article_id = p.id"]
    return " ".join([*fragments, "WHERE d.document @@", tsquery]), params


def count(cursor, base: str, params: list, query: ParsedQuery) -> int:
    join, join_params = _join(base, query)
    cursor.execute(" ".join(["SELECT count(*)", join]), [*params, *join_params])
    return cursor.fetchone()[0]


def newest(cursor, base: str, params: list, query: ParsedQuery, *, offset: int, limit: int) -> list[int]:
    join, join_params = _join(base, query)
    sql = " ".join(["SELECT p.id", join, "ORDER BY p.published_at DESC, p.id DESC LIMIT %s OFFSET %s"])
    cursor.execute(sql, [*params, *join_params, limit, offset])
    return [row[0] for row in cursor.fetchall()]


def latest(cursor, base: str, params: list, query: ParsedQuery, *, offset: int, limit: int) -> list[int]:
    join, join_params = _join(base, query)
    sql = " ".join(["SELECT p.id", join, "ORDER BY p.id DESC LIMIT %s OFFSET %s"])
    cursor.execute(sql, [*params, *join_params, limit, offset])
    return [row[0] for row in cursor.fetchall()]


def ranked(cursor, base, params, query, *, now, candidates, recency_days, offset, limit) -> list[int]:
    join, join_params = _join(base, query)
    tsquery, tsquery_params = _tsquery(query)
    sql = " ".join(
        [
            "WITH hits AS MATERIALIZED (SELECT p.id, p.published_at, d.document",
            join,
            "ORDER BY p.id DESC LIMIT %s)",
            "SELECT id FROM hits ORDER BY ts_rank(",
            WEIGHTS,
            ", document,",
            tsquery,
            ", 1) / (1.0 + extract(epoch FROM (%s - published_at)) / 86400.0 / %s) DESC,",
            "published_at DESC, id DESC LIMIT %s OFFSET %s",
        ]
    )
    cursor.execute(
        sql, [*params, *join_params, candidates, *tsquery_params, now, recency_days, limit, offset]
    )
    return [row[0] for row in cursor.fetchall()]
