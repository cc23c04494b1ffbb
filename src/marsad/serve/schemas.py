"""Request and response bodies of the REST API (they are its OpenAPI schema too).

Records (``Page``, ``Verdict``…) are the package's own dataclasses, served as they are;
these models add only what the API itself needs. Every incoming string is cleaned as the
reader cleans page text (no C0 controls, no lone surrogates): neither database stores
them, and they are never meaningful in a comment.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic.dataclasses import dataclass as pydantic_dataclass

from marsad.names import HumanDecision
from marsad.read.page import clean_text
from marsad.record import Verdict
from marsad.serve import config
from marsad.store.moderation import AuditEntry, CommentView
from marsad.store.users import MAX_NAME_CHARS, MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS, Role

Clean = Annotated[str, AfterValidator(clean_text)]
ShortText = Annotated[Clean, Field(max_length=config.SITE_ID_MAX_CHARS)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CommentIn(_In):
    text: Clean = Field(min_length=1, description=(
        f"the comment as posted; at most {config.COMMENT_TEXT_MAX // config.KB} KB of UTF-8"))
    id: ShortText | None = Field(None, description=(
        "the site's own comment id: posting the same id again returns the stored verdict "
        "and stores nothing twice"))
    author: ShortText | None = None
    posted_at: ShortText | None = Field(None, description="ISO 8601")
    parent: ShortText | None = Field(None, description="the site's id of the comment answered")


class ArticleIn(_In):
    title: Annotated[Clean, Field(max_length=2000)] | None = None
    text: Annotated[Clean, Field(max_length=config.ARTICLE_TEXT_MAX)] | None = None
    url: Annotated[Clean, Field(max_length=2000)] | None = None


class ModerateRequest(_In):
    """One comment (``comment``) or a batch (``comments``), with optional article context."""

    site: Annotated[Clean, Field(min_length=1, max_length=config.SITE_MAX_CHARS)] = Field(
        "default", description="the site the comments come from; site comment ids are "
        "unique within a site")
    article: ArticleIn | None = None
    comment: CommentIn | None = None
    comments: list[CommentIn] | None = Field(None, json_schema_extra={
        "minItems": 1, "maxItems": config.BATCH_MAX})

    @model_validator(mode="after")
    def one_or_batch(self) -> ModerateRequest:
        if (self.comment is None) == (self.comments is None):
            raise ValueError('give exactly one of "comment" (one) or "comments" (a batch)')
        if self.comments is not None and not self.comments:
            raise ValueError('"comments" is empty; send at least one comment')
        return self

    def items(self) -> list[CommentIn]:
        return [self.comment] if self.comment is not None else list(self.comments or [])


class ModerateResult(BaseModel):
    id: str = Field(description="marsad's comment id (use it for decisions)")
    site_comment_id: str | None
    created: bool = Field(description="false when this comment was stored before")
    state: str
    dialect: str | None = Field(description="the dialect label")
    verdict: Verdict | None


class ModerateResponse(BaseModel):
    results: list[ModerateResult]


@pydantic_dataclass
class CommentOut(CommentView):
    """``store.moderation.CommentView`` as the API shows it: the same fields, validated."""

    @classmethod
    def of(cls, view: CommentView) -> CommentOut:
        return cls(**vars(view))


class AuditEntryOut(BaseModel):
    id: int
    comment_id: str
    moderator: str
    decided_at: str
    action: str
    from_state: str | None
    to_state: str
    reason: str | None = None
    undoes: int | None = None
    undone_at: str | None = None

    @classmethod
    def of(cls, entry: AuditEntry) -> AuditEntryOut:
        return cls.model_validate(entry, from_attributes=True)


class QueueCounts(BaseModel):
    counts: dict[str, int]


class QueuePage(BaseModel):
    queue: str
    total: int
    offset: int
    items: list[CommentOut]


class DecisionIn(_In):
    decision: HumanDecision
    expected_state: Annotated[str, Field(max_length=40)] = Field(description=(
        "the comment's state as the moderator saw it; a different current state means "
        "someone decided first, and the answer is 409"))
    reason: Annotated[Clean, Field(max_length=config.REASON_MAX_CHARS)] | None = None


class UndoIn(_In):
    expected_state: Annotated[str, Field(max_length=40)] | None = Field(None, description=(
        "the state the moderator saw; 409 if it changed"))
    reason: Annotated[Clean, Field(max_length=config.REASON_MAX_CHARS)] | None = None


class DecisionOut(BaseModel):
    entry: AuditEntryOut
    comment: CommentOut


class AuthorOut(BaseModel):
    author: str
    comments: int
    by_state: dict[str, int]
    recent: list[CommentOut]
    decisions: list[AuditEntryOut]


class AuditPage(BaseModel):
    offset: int
    items: list[AuditEntryOut]


class SignIn(_In):
    username: Annotated[str, Field(min_length=1, max_length=64)]
    password: Annotated[str, Field(min_length=1, max_length=MAX_PASSWORD_CHARS)]
    ttl_seconds: int | None = Field(None, ge=60, le=int(config.SESSION_TTL_MAX.total_seconds()),
                                    description="shorter than the server's session length")


class TokenOut(BaseModel):
    token: str = Field(description="send as `Authorization: Bearer <token>`; shown once")
    token_id: str
    user: str
    role: str
    expires_at: str


class WhoAmI(BaseModel):
    user: str
    role: str
    token_id: str
    expires_at: str


class UserIn(_In):
    name: Annotated[str, Field(min_length=1, max_length=MAX_NAME_CHARS, description=(
        "printable characters, no spaces around"))]
    role: Role
    password: Annotated[str, Field(min_length=MIN_PASSWORD_CHARS, max_length=MAX_PASSWORD_CHARS)]


class UserOut(BaseModel):
    name: str
    role: str
    created_at: str
    disabled_at: str | None = None


class Health(BaseModel):
    status: str
    schema_version: int
    version: str


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorBody(BaseModel):
    error: ErrorDetail
