"""The Page record: the one type that flows through every stage (DESIGN.md, "The record").

Stages add fields; none rewrites what an earlier stage produced. ``Page.to_dict()`` and
``Page.from_dict()`` round-trip exactly through JSON, and every serialised page carries
``schema`` = SCHEMA_VERSION so that stores and exports can migrate old records.

Offsets are Python code points. Quote offsets and entity offsets with ``where="article"``
point into ``Page.article_text`` (paragraphs joined by a newline).
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from dataclasses import dataclass, field
from typing import Any, TypeVar

SCHEMA_VERSION = 1

T = TypeVar("T")


@dataclass
class Paragraph:
    text: str
    dialect: DialectGuess | None = None  # the enrich step's reading of this paragraph


@dataclass
class Removed:
    """A piece of page text our rules took out, and why (kind: names.RemovedKind)."""

    text: str
    kind: str


@dataclass
class Problem:
    """Something that went wrong on this page; the page is still stored.

    ``kind`` is a short, stable code for counting problems (``binary``, ``too_large``,
    ``parse_error``…); ``message`` names the input and says what to do.
    """

    stage: str
    message: str
    kind: str = "error"


@dataclass
class Evidence:
    start: int
    end: int
    label: str


@dataclass
class Verdict:
    scores: dict[str, float] = field(default_factory=dict)
    labels: dict[str, bool] = field(default_factory=dict)
    hate_target: str | None = None
    decision: str = "publish"
    reasons: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    model: str = ""


@dataclass
class DialectGuess:
    label: str
    confidence: float


@dataclass
class Comment:
    id: str
    index: int
    text: str
    author: str | None = None
    posted_at: str | None = None
    parent: str | None = None
    dialect: DialectGuess | None = None
    verdict: Verdict | None = None


@dataclass
class Entity:
    text: str
    canonical: str
    type: str
    where: str
    start: int
    end: int


@dataclass
class Span:
    text: str
    start: int
    end: int


@dataclass
class Quote:
    speaker: Span | None
    cue: Span
    content: Span
    direct: bool
    via: str | None = None
    anonymous: bool = False


@dataclass
class Sourcing:
    agencies: list[str] = field(default_factory=list)
    named_speakers: int = 0
    anonymous_speakers: int = 0
    quoted_share: float = 0.0


@dataclass
class Provenance:
    marsad: str = ""
    parser: str = ""
    models: dict[str, str] = field(default_factory=dict)


@dataclass
class Page:
    id: str
    url: str | None = None
    site: str | None = None
    source: str | None = None  # where the bytes came from: a path, a WARC record, a JSONL line
    language: str | None = None
    encoding: str | None = None
    published_at: str | None = None  # ISO 8601
    fetched_at: str | None = None  # ISO 8601
    title: str | None = None
    author: str | None = None
    paragraphs: list[Paragraph] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)
    comments_declared: int | None = None
    comments: list[Comment] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    sourcing: Sourcing | None = None
    signature: list[int] | None = None
    problems: list[Problem] = field(default_factory=list)
    provenance: Provenance = field(default_factory=Provenance)
    schema: int = SCHEMA_VERSION

    @property
    def article_text(self) -> str:
        """The text quote and article-entity offsets point into."""
        return "\n".join(p.text for p in self.paragraphs)

    @property
    def is_arabic(self) -> bool:
        return self.language == "ar"

    def add_problem(self, stage: str, message: str, kind: str = "error") -> None:
        self.problems.append(Problem(stage=stage, message=message, kind=kind))

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def to_json(self, indent: int | None = None) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Page:
        schema = data.get("schema", SCHEMA_VERSION)
        if schema > SCHEMA_VERSION:
            raise ValueError(
                f"page {data.get('id')!r} has schema {schema}, newer than this marsad "
                f"({SCHEMA_VERSION}); upgrade marsad to read it"
            )
        return _build(cls, data)

    @classmethod
    def from_json(cls, text: str) -> Page:
        return cls.from_dict(json.loads(text))


def _build(cls: type[T], data: dict[str, Any]) -> T:
    """Rebuild a dataclass (recursively) from the output of ``dataclasses.asdict``."""
    hints = typing.get_type_hints(cls)
    kwargs = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if f.name in data:
            kwargs[f.name] = _convert(hints[f.name], data[f.name])
    return cls(**kwargs)


def _convert(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(hint) if a is not type(None)]
        return _convert(inner[0], value)
    if origin is list:
        (item,) = typing.get_args(hint)
        return [_convert(item, v) for v in value]
    if origin is dict:
        return dict(value)
    if dataclasses.is_dataclass(hint):
        return _build(hint, value)  # type: ignore[arg-type]
    return value
