"""A small expression builder: filters, aggregates and buckets as the server's JSON.

    (col("value") > 5) & col("category").isin(["A", "B"])

Python binds `&` and `|` tighter than comparisons, so polars and pandas want each
comparison in parentheses. Here the unparenthesised forms whose meaning is unmistakable
build the intended tree too: `col("value") > 5 & <filter>` (Python first evaluates
`5 & <filter>`) and `<filter> & col("value") > 5` (Python first evaluates
`<filter> & col("value")`). Every other mix of values, columns and `&`/`|` raises a
TypeError that says to parenthesise; a Filter never silently means something else.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, NoReturn, TypeAlias, overload

Json: TypeAlias = dict[str, Any]
Scalar: TypeAlias = (
    bool | int | float | str | dt.datetime | dt.date | dt.time | decimal.Decimal | None
)

_PRECEDENCE_HINT = (
    "combine filters with & | ~ only, and parenthesise each comparison (Python binds & "
    'and | tighter than >): (col("value") > 5) & col("category").isin(["A", "B"])'
)


def _json_value(value: Scalar) -> Any:
    """A filter value as JSON; the server casts it to the column's declared type."""
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value!r} has no JSON form; filter with is_null or a range")
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        # The server wants JSON numbers for numeric columns (decimals included).
        return float(value)
    raise TypeError(f"a filter value must be a scalar, not {type(value).__name__}")


class Filter:
    """A condition on rows; combine with `&`, `|` and `~`."""

    __slots__ = ("_tree",)

    def __init__(self, tree: Mapping[str, Any]) -> None:
        self._tree: Json = dict(tree)

    def to_json(self) -> Json:
        """The server's filter tree (a fresh dict each call)."""
        copied: Json = _deep_copy(self._tree)
        return copied

    def _combine(self, operator: str, other: object) -> Filter:
        if not isinstance(other, Filter):
            raise TypeError(_PRECEDENCE_HINT)
        args: list[Json] = []
        for part in (self, other):
            tree = part._tree
            args.extend(tree["args"] if tree.get("op") == operator else [tree])
        return Filter({"op": operator, "args": args})

    @overload
    def __and__(self, other: Filter) -> Filter: ...
    @overload
    def __and__(self, other: Column) -> _PendingColumn: ...
    def __and__(self, other: Filter | Column) -> Filter | _PendingColumn:
        if isinstance(other, Column):
            return _PendingColumn(self, "and", other)
        return self._combine("and", other)

    @overload
    def __or__(self, other: Filter) -> Filter: ...
    @overload
    def __or__(self, other: Column) -> _PendingColumn: ...
    def __or__(self, other: Filter | Column) -> Filter | _PendingColumn:
        if isinstance(other, Column):
            return _PendingColumn(self, "or", other)
        return self._combine("or", other)

    def __rand__(self, value: Scalar) -> _PendingValue:
        return _PendingValue(value, "and", self)

    def __ror__(self, value: Scalar) -> _PendingValue:
        return _PendingValue(value, "or", self)

    def __invert__(self) -> Filter:
        if self._tree.get("op") == "not":
            return Filter(self._tree["arg"])
        return Filter({"op": "not", "arg": self._tree})

    def __bool__(self) -> bool:
        raise TypeError(
            "a Filter has no truth value: use & | ~ instead of and/or/not, and no chained "
            "comparisons such as 1 < col('x') < 5 (use col('x').between(1, 5))"
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Filter) and self._tree == other._tree

    def __hash__(self) -> int:
        return hash(repr(self._tree))

    def __repr__(self) -> str:
        return f"Filter({self._tree!r})"


class _PendingValue:
    """`5 & <filter>`, the part Python evaluates first in `col("v") > 5 & <filter>`.

    Only a column comparison takes it, building `(col("v") > 5) & <filter>`.
    """

    __slots__ = ("operator", "right", "value")

    def __init__(self, value: Scalar, operator: str, right: Filter) -> None:
        if isinstance(value, Column | _PendingValue | _PendingColumn):
            raise TypeError(_PRECEDENCE_HINT)
        self.value = value
        self.operator = operator
        self.right = right

    def __bool__(self) -> bool:
        raise TypeError(_PRECEDENCE_HINT)

    def __repr__(self) -> str:
        return f"<unfinished {self.value!r} {self.operator} {self.right!r}: {_PRECEDENCE_HINT}>"


class _PendingColumn:
    """`<filter> & col("v")`, what Python evaluates first in `<filter> & col("v") > 5`.

    Only a comparison with a value finishes it, building `<filter> & (col("v") > 5)`.
    """

    __slots__ = ("column", "left", "operator")
    __hash__ = None  # type: ignore[assignment]

    def __init__(self, left: Filter, operator: str, column: Column) -> None:
        self.left = left
        self.operator = operator
        self.column = column

    def _finish(self, condition: Filter) -> Filter:
        return self.left._combine(self.operator, condition)

    def __eq__(self, value: Scalar) -> Filter:  # type: ignore[override]
        return self._finish(self.column == value)

    def __ne__(self, value: Scalar) -> Filter:  # type: ignore[override]
        return self._finish(self.column != value)

    def __lt__(self, value: Scalar) -> Filter:
        return self._finish(self.column < value)

    def __le__(self, value: Scalar) -> Filter:
        return self._finish(self.column <= value)

    def __gt__(self, value: Scalar) -> Filter:
        return self._finish(self.column > value)

    def __ge__(self, value: Scalar) -> Filter:
        return self._finish(self.column >= value)

    def __bool__(self) -> bool:
        raise TypeError(_PRECEDENCE_HINT)

    def __repr__(self) -> str:
        return f"<unfinished {self.left!r} {self.operator} {self.column!r}: {_PRECEDENCE_HINT}>"


def _deep_copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _deep_copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_deep_copy(item) for item in value]
    return value


@dataclass(frozen=True)
class Aggregate:
    """One aggregate of a query: `col("value").mean().alias("average")`, `count()`."""

    function: str
    column: str | None = None
    alias_name: str | None = None
    q: float | None = None

    def alias(self, name: str) -> Aggregate:
        """Names the output column (the server's `as`)."""
        return replace(self, alias_name=name)

    def to_json(self) -> Json:
        document: Json = {"function": self.function}
        if self.column is not None:
            document["column"] = self.column
        if self.alias_name is not None:
            document["as"] = self.alias_name
        if self.q is not None:
            document["q"] = self.q
        return document


class Column:
    """A column by name: comparisons make filters, methods make aggregates."""

    __slots__ = ("name",)
    # Comparisons return Filters, so Columns are not hashable values.
    __hash__ = None  # type: ignore[assignment]

    def __init__(self, name: str) -> None:
        if not name:
            raise ValueError("a column needs a name")
        self.name = name

    def __repr__(self) -> str:
        return f"col({self.name!r})"

    def _compare(self, operator: str, value: Scalar | _PendingValue) -> Filter:
        if isinstance(value, _PendingValue):
            return self._compare(operator, value.value)._combine(value.operator, value.right)
        if isinstance(value, Column | Filter | _PendingColumn):
            raise TypeError("filters compare a column with a value, not with another column")
        if value is None and operator in ("=", "!="):
            return self.is_null() if operator == "=" else self.is_not_null()
        return Filter({"op": operator, "column": self.name, "value": _json_value(value)})

    def __eq__(self, value: Scalar | _PendingValue) -> Filter:  # type: ignore[override]
        return self._compare("=", value)

    def __ne__(self, value: Scalar | _PendingValue) -> Filter:  # type: ignore[override]
        return self._compare("!=", value)

    def __lt__(self, value: Scalar | _PendingValue) -> Filter:
        return self._compare("<", value)

    def __le__(self, value: Scalar | _PendingValue) -> Filter:
        return self._compare("<=", value)

    def __gt__(self, value: Scalar | _PendingValue) -> Filter:
        return self._compare(">", value)

    def __ge__(self, value: Scalar | _PendingValue) -> Filter:
        return self._compare(">=", value)

    def __and__(self, other: object) -> NoReturn:
        raise TypeError(_PRECEDENCE_HINT)

    __rand__ = __and__
    __or__ = __and__
    __ror__ = __and__

    def isin(self, values: Iterable[Scalar]) -> Filter:
        """The column equals one of `values`."""
        if isinstance(values, str | bytes):
            raise TypeError("isin takes a collection of values, not one string")
        return Filter({"op": "in", "column": self.name, "values": [_json_value(v) for v in values]})

    def between(self, low: Scalar, high: Scalar) -> Filter:
        """low <= column <= high."""
        return Filter(
            {
                "op": "between",
                "column": self.name,
                "low": _json_value(low),
                "high": _json_value(high),
            }
        )

    def is_null(self) -> Filter:
        return Filter({"op": "is_null", "column": self.name})

    def is_not_null(self) -> Filter:
        return ~self.is_null()

    def starts_with(self, prefix: str) -> Filter:
        return Filter({"op": "starts_with", "column": self.name, "value": prefix})

    def contains(self, text: str) -> Filter:
        return Filter({"op": "contains", "column": self.name, "value": text})

    # Aggregates, named as in polars.
    def count(self) -> Aggregate:
        """Non-null values of the column."""
        return Aggregate("count", self.name)

    def n_unique(self) -> Aggregate:
        return Aggregate("count_distinct", self.name)

    def sum(self) -> Aggregate:
        return Aggregate("sum", self.name)

    def mean(self) -> Aggregate:
        return Aggregate("mean", self.name)

    def min(self) -> Aggregate:
        return Aggregate("min", self.name)

    def max(self) -> Aggregate:
        return Aggregate("max", self.name)

    def std(self) -> Aggregate:
        return Aggregate("stddev", self.name)

    def quantile(self, q: float) -> Aggregate:
        if not 0 <= q <= 1:
            raise ValueError("a quantile is between 0 and 1")
        return Aggregate("quantile", self.name, q=q)

    # Ordering.
    def desc(self) -> str:
        """An order_by term, descending."""
        return f"-{self.name}"

    def asc(self) -> str:
        return self.name


def col(name: str) -> Column:
    """A column by name."""
    return Column(name)


def count() -> Aggregate:
    """The number of rows (per group)."""
    return Aggregate("count")


_EVERY = re.compile(r"^[1-9][0-9]*(s|m|h|d|w|mo|y)$")


@dataclass(frozen=True)
class Bucket:
    """Groups a time column by a fixed interval or a number column by a fixed width."""

    column: str
    every: str | None = None
    width: float | None = None
    origin: float | None = None
    alias_name: str | None = None

    def __post_init__(self) -> None:
        if (self.every is None) == (self.width is None):
            raise ValueError("a bucket has exactly one of every (time) and width (numbers)")
        if self.every is not None and not _EVERY.match(self.every):
            raise ValueError(
                f"every={self.every!r}: expected a count and a unit s, m, h, d, w, mo or y"
            )
        if self.width is not None and not self.width > 0:
            raise ValueError("a bucket width is positive")
        if self.origin is not None and self.width is None:
            raise ValueError("origin goes with width")

    def alias(self, name: str) -> Bucket:
        return replace(self, alias_name=name)

    def to_json(self) -> Json:
        document: Json = {"column": self.column}
        if self.every is not None:
            document["every"] = self.every
        if self.width is not None:
            document["width"] = self.width
        if self.origin is not None:
            document["origin"] = self.origin
        if self.alias_name is not None:
            document["as"] = self.alias_name
        return document


def bucket(
    column: str,
    *,
    every: str | None = None,
    width: float | None = None,
    origin: float | None = None,
    alias: str | None = None,
) -> Bucket:
    """`bucket("ts", every="1h")` or `bucket("value", width=2.5, origin=0)`."""
    return Bucket(column, every=every, width=width, origin=origin, alias_name=alias)


def order_terms(order_by: str | Sequence[str] | None) -> list[str]:
    """`"-value,id"`, `["-value", "id"]` or None as a list of terms."""
    if order_by is None:
        return []
    if isinstance(order_by, str):
        return [term.strip() for term in order_by.split(",") if term.strip()]
    return [term.strip() for term in order_by]
