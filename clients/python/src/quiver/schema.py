"""Columns, datasets, and the server's type names as Arrow types (and back)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

import polars as pl
import pyarrow as pa

_SCALARS: dict[str, Any] = {
    "boolean": pa.bool_(),
    "int8": pa.int8(),
    "int16": pa.int16(),
    "int32": pa.int32(),
    "int64": pa.int64(),
    "uint8": pa.uint8(),
    "uint16": pa.uint16(),
    "uint32": pa.uint32(),
    "uint64": pa.uint64(),
    "float32": pa.float32(),
    "float64": pa.float64(),
    "string": pa.string(),
    "binary": pa.binary(),
    "date": pa.date32(),
    "time": pa.time64("us"),
    "timestamp": pa.timestamp("us"),
}
_ALIASES = {"bool": "boolean", "double": "float64", "float": "float32", "text": "string"}
_UNITS = ("s", "ms", "us", "ns")


@dataclass(frozen=True)
class Column:
    """A declared column: its name, the server's type name, and whether nulls are refused."""

    name: str
    type: str
    required: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "type": self.type, "required": self.required}

    @property
    def arrow_type(self) -> pa.DataType:
        return arrow_type(self.type)


@dataclass(frozen=True)
class DatasetInfo:
    """A dataset as the server describes it: schema and counts."""

    name: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] | None
    row_count: int
    bytes: int
    created_at: dt.datetime
    updated_at: dt.datetime

    @classmethod
    def from_json(cls, document: Mapping[str, Any]) -> DatasetInfo:
        key = document.get("primary_key")
        return cls(
            name=str(document["name"]),
            columns=tuple(
                Column(str(c["name"]), str(c["type"]), bool(c.get("required", False)))
                for c in document["columns"]
            ),
            primary_key=tuple(str(k) for k in key) if key else None,
            row_count=int(document["row_count"]),
            bytes=int(document["bytes"]),
            created_at=_timestamp(document["created_at"]),
            updated_at=_timestamp(document["updated_at"]),
        )

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name.lower() == name.lower():
                return column
        raise KeyError(name)

    def arrow_schema(self) -> pa.Schema:
        """The Arrow schema reads of this dataset carry."""
        return pa.schema(
            [pa.field(c.name, c.arrow_type, nullable=not c.required) for c in self.columns]
        )


def _timestamp(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


# --- type names -> Arrow ------------------------------------------------------------


class _TypeParser:
    """Recursive descent over the server's type names (docs/adr/0007-type-system.md)."""

    _TOKEN = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_/+\-]*|\d+|[<>(),:])")

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = self._TOKEN.findall(text)
        if "".join(self.tokens) != re.sub(r"\s+", "", text):
            raise ValueError(f"not a column type: {text!r}")
        self.position = 0

    def parse(self) -> pa.DataType:
        result = self._type()
        if self.position != len(self.tokens):
            raise ValueError(f"not a column type: {self.text!r}")
        return result

    def _next(self) -> str:
        if self.position >= len(self.tokens):
            raise ValueError(f"not a column type: {self.text!r}")
        token: str = self.tokens[self.position]
        self.position += 1
        return token

    def _expect(self, token: str) -> None:
        if self._next() != token:
            raise ValueError(f"not a column type: {self.text!r}")

    def _peek(self) -> str | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def _type(self) -> pa.DataType:
        name = self._next().lower()
        name = _ALIASES.get(name, name)
        if name == "list":
            self._expect("<")
            item = self._type()
            self._expect(">")
            return pa.list_(item)
        if name == "struct":
            return self._struct()
        if name == "decimal":
            self._expect("(")
            precision = int(self._next())
            self._expect(",")
            scale = int(self._next())
            self._expect(")")
            return pa.decimal128(precision, scale)
        if name in ("timestamp", "duration") and self._peek() == "(":
            return self._with_unit(name)
        if name in _SCALARS:
            return _SCALARS[name]
        raise ValueError(f"not a column type: {self.text!r}")

    def _struct(self) -> pa.DataType:
        self._expect("<")
        fields = []
        while True:
            field_name = self._next()
            self._expect(":")
            fields.append(pa.field(field_name, self._type()))
            separator = self._next()
            if separator == ">":
                return pa.struct(fields)
            if separator != ",":
                raise ValueError(f"not a column type: {self.text!r}")

    def _with_unit(self, name: str) -> pa.DataType:
        self._expect("(")
        unit = self._next()
        if unit not in _UNITS:
            raise ValueError(f"not a time unit in {self.text!r}: {unit}")
        zone = None
        if self._peek() == ",":
            self._next()
            zone = self._next()
        self._expect(")")
        if name == "duration":
            return pa.duration(unit)
        return pa.timestamp(unit, tz=zone)


def arrow_type(text: str) -> pa.DataType:
    """The Arrow type of a server type name: `"timestamp(us, UTC)"` -> timestamp[us, tz=UTC]."""
    return _TypeParser(text).parse()


def type_name(arrow: pa.DataType) -> str:  # noqa: PLR0911, PLR0912  (a branch per kind)
    """The server's type name for an Arrow type (views and large types map to plain ones)."""
    types = pa.types
    if types.is_string(arrow) or types.is_large_string(arrow) or types.is_string_view(arrow):
        return "string"
    if types.is_binary(arrow) or types.is_large_binary(arrow) or types.is_binary_view(arrow):
        return "binary"
    if types.is_boolean(arrow):
        return "boolean"
    if types.is_integer(arrow) or types.is_floating(arrow):
        name = str(arrow)
        return {"float": "float32", "double": "float64", "halffloat": "float32"}.get(name, name)
    if types.is_decimal(arrow):
        return f"decimal({arrow.precision}, {arrow.scale})"
    if types.is_date(arrow):
        return "date"
    if types.is_time(arrow):
        return "time"
    if types.is_timestamp(arrow):
        if arrow.tz is not None:
            return f"timestamp({arrow.unit}, {arrow.tz})"
        return "timestamp" if arrow.unit == "us" else f"timestamp({arrow.unit})"
    if types.is_duration(arrow):
        return f"duration({arrow.unit})"
    if types.is_list(arrow) or types.is_large_list(arrow) or types.is_list_view(arrow):
        return f"list<{type_name(arrow.value_type)}>"
    if types.is_struct(arrow):
        members = ", ".join(
            f"{arrow.field(i).name}: {type_name(arrow.field(i).type)}"
            for i in range(arrow.num_fields)
        )
        return f"struct<{members}>"
    if types.is_dictionary(arrow):
        return type_name(arrow.value_type)
    raise ValueError(f"Quiver has no column type for Arrow's {arrow}")


SchemaLike: TypeAlias = (
    pa.Schema | pl.Schema | Mapping[str, str | pa.DataType | pl.DataType] | Sequence[Column]
)


def columns_of(schema: SchemaLike, required: Sequence[str] = ()) -> list[Column]:
    """Columns from a pyarrow or polars schema, a {name: type} mapping, or Columns.

    A pyarrow field that is not nullable is required; `required` names more.
    """
    wanted = {name.lower() for name in required}
    if isinstance(schema, pa.Schema):
        return [
            Column(f.name, type_name(f.type), not f.nullable or f.name.lower() in wanted)
            for f in schema
        ]
    if isinstance(schema, pl.Schema | Mapping):
        result = []
        for name, kind in schema.items():
            if isinstance(kind, str):
                text = kind
            elif isinstance(kind, pa.DataType):
                text = type_name(kind)
            else:
                empty = pl.DataFrame(schema={name: kind})
                text = type_name(
                    empty.to_arrow(compat_level=pl.CompatLevel.oldest()).schema[0].type
                )
            result.append(Column(name, text, name.lower() in wanted))
        return result
    columns = list(schema)
    if not all(isinstance(column, Column) for column in columns):
        raise TypeError("a schema is a pyarrow or polars schema, a mapping, or Columns")
    return [Column(c.name, c.type, c.required or c.name.lower() in wanted) for c in columns]
