"""Querysets compiled once per process, run many times with new values.

Building a queryset and compiling it to SQL is pure Python work that Django
repeats on every request, and on a story page it was a third of the CPU of
an uncached render (5 queries; benchmarks/serve.py, README). The SQL of a
given shape never changes, only the values in it (the story's id, the
current time), so a PreparedQuery builds and compiles its shape once per
database vendor and afterwards only executes it: Django's own iterables turn
the rows into model instances or dicts as always, from a compiler that
answers with the stored SQL and the new values.

Which value goes where is not guessed. The shape is compiled twice, with two
different sets of sample values; every parameter that differs between the
two must be one of the sample values as the database receives it (adapted
the way Django adapts it), and everything else must be identical. Anything
else (or a shape Django compiles to nothing, such as `pk__in=[]`) runs
through the ordinary ORM, so a PreparedQuery is never wrong, at worst not
faster. Results are lists, not querysets: a queryset holding the sample
values could be filtered further by mistake.
"""

import copy
from datetime import UTC, datetime, timedelta

from django.db import connections, router
from django.db.models import QuerySet
from django.http import Http404

_UNPREPARABLE = object()


class Rows(list):
    """A result: a list that answers count() as an evaluated queryset would."""

    def count(self) -> int:
        return len(self)


class Int:
    """An integer argument (a primary key: a 64-bit column)."""

    internal_type = "BigIntegerField"

    def samples(self, n: int) -> tuple[int, int]:
        return 1_000_000_011 + n, 1_000_000_511 + n

    def adapt(self, value, connection) -> list:
        return [int(value)]

    def fits(self, value, connection) -> bool:
        # Django answers a value out of the column's range without asking the
        # database (which would fail on it): leave those to Django.
        low, high = connection.ops.integer_field_range(self.internal_type)
        return all(low <= v <= high for v in self.adapt(value, connection))


class Moment:
    """An aware datetime argument (now, a publication time)."""

    def fits(self, value, connection) -> bool:
        return True

    def samples(self, n: int) -> tuple[datetime, datetime]:
        first = datetime(1999, 1, 2, 3, 4, 5, 6007 + n, tzinfo=UTC)
        return first, first + timedelta(days=1, microseconds=1)

    def adapt(self, value, connection) -> list:
        return [connection.ops.adapt_datetimefield_value(value)]


class Ints(Int):
    """A list of integers (`pk__in`): one shape per length."""

    def __init__(self, length: int):
        self.length = length

    def samples(self, n: int) -> tuple[list[int], list[int]]:
        base = 1_100_000_000 + 10_000 * n
        return [base + i for i in range(self.length)], [base + 5_000 + i for i in range(self.length)]

    def adapt(self, value, connection) -> list:
        return [int(v) for v in value]


class PreparedQuery:
    """`build(**arguments)` returns a QuerySet; `kinds` says what each argument is."""

    def __init__(self, build, **kinds):
        self.build, self.kinds = build, kinds
        self.model = None
        # (alias, vendor, list lengths) -> (compiler, queryset, sql, slots) or _UNPREPARABLE
        self.shapes = {}

    def __call__(self, **values) -> Rows:
        kinds = self._kinds(values)
        if kinds is None:
            return Rows(self.build(**values))
        if self.model is None:
            self.model = self.build(**self._samples(kinds, 0)).model
        alias = router.db_for_read(self.model)
        connection = connections[alias]
        if not all(kind.fits(values[name], connection) for name, kind in kinds.items()):
            return Rows(self.build(**values))
        lengths = tuple(getattr(kind, "length", 0) for kind in kinds.values())
        prepared = self.shapes.get((alias, connection.vendor, lengths))
        if prepared is None:
            prepared = self.shapes[alias, connection.vendor, lengths] = self._prepare(kinds, connection)
        if prepared is _UNPREPARABLE:
            return Rows(self.build(**values))
        compiler, queryset, sql, slots = prepared
        flat = self._adapted(kinds, values, connection)
        params = tuple(flat[slot] if isinstance(slot, int) else slot[0] for slot in slots)
        return Rows(_replaying(queryset, alias, compiler, connection, sql, params))

    def first_or_404(self, **values):
        """The first row, or Http404: get_object_or_404 for a prepared query."""
        found = self(**values)
        if not found:
            raise Http404
        return found[0]

    def _kinds(self, values: dict):
        kinds = {}
        for name, kind in self.kinds.items():
            if kind is Ints:
                if not values[name]:
                    return None  # Django compiles `__in=[]` to no query at all
                kind = Ints(len(values[name]))
            kinds[name] = kind
        return kinds

    @staticmethod
    def _adapted(kinds: dict, values: dict, connection) -> list:
        """The arguments as the database receives them, in order."""
        return [a for name, kind in kinds.items() for a in kind.adapt(values[name], connection)]

    @staticmethod
    def _samples(kinds: dict, which: int) -> dict:
        return {name: kind.samples(n)[which] for n, (name, kind) in enumerate(kinds.items())}

    def _prepare(self, kinds: dict, connection):
        first, second = (self.build(**self._samples(kinds, which)) for which in (0, 1))
        compiler = first.query.get_compiler(connection=connection)
        try:
            sql, params = compiler.as_sql()
            sql_b, params_b = second.query.get_compiler(connection=connection).as_sql()
        except Exception:  # EmptyResultSet, FullResultSet: nothing to replay
            return _UNPREPARABLE
        flat_a, flat_b = (self._adapted(kinds, self._samples(kinds, which), connection) for which in (0, 1))
        if sql != sql_b or len(params) != len(params_b):
            return _UNPREPARABLE
        slots, used = [], set()
        for a, b in zip(params, params_b, strict=True):
            if a == b:
                slots.append((a,))  # a constant of the shape (a status, a language)
                continue
            where = [i for i, (x, y) in enumerate(zip(flat_a, flat_b, strict=True)) if x == a and y == b]
            if len(where) != 1:
                return _UNPREPARABLE
            slots.append(where[0])
            used.add(where[0])
        if used != set(range(len(flat_a))):
            return _UNPREPARABLE  # an argument the SQL does not carry as it was given
        return compiler, first, sql, tuple(slots)


def _replaying(queryset: QuerySet, alias: str, compiler, connection, sql: str, params: tuple) -> QuerySet:
    """A clone of `queryset` whose compiler answers with `sql` and `params`
    (and the select list, joins and converters worked out when it was
    prepared) instead of compiling again."""
    replay = copy.copy(compiler)
    replay.__class__ = _replay_class(type(compiler))
    replay.connection, replay.replay = connection, (sql, params)
    runner = queryset._chain()
    runner._db = alias
    runner.query.get_compiler = lambda using=None, connection=None, elide_empty=True: replay
    return runner


_classes = {}


def _replay_class(base):
    if base not in _classes:
        _classes[base] = type(f"Replaying{base.__name__}", (base,), {"as_sql": _stored_sql})
    return _classes[base]


def _stored_sql(self, *args, **kwargs):
    return self.replay
