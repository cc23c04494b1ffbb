"""Stable ids for pages and comments (DESIGN.md, "The record").

A page's id comes from its canonical URL, else from its normalised content; a comment's id
is the site's own comment id, else a hash of page id, author, posted_at and normalised
text — never its position, so a re-crawled page keeps its comments' human decisions.
"""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from marsad.text.normalize import fold

# Query parameters that identify a campaign or a session, not a page.
TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "mc_cid", "mc_eid", "ref", "ref_src", "amp", "output", "igshid"}
)
TRACKING_PREFIXES = ("utm_",)
ID_LENGTH = 16  # hex characters: 64 bits, collision-free far beyond a billion pages


def _digest(*parts: str) -> str:
    h = hashlib.blake2b(digest_size=ID_LENGTH // 2)
    for part in parts:
        h.update(part.encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, no fragment, no tracking parameters, no trailing slash."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in TRACKING_PARAMS and not k.lower().startswith(TRACKING_PREFIXES)
    ]
    path = parts.path.rstrip("/") or "/"
    scheme = "https" if parts.scheme.lower() in ("http", "https") else parts.scheme.lower()
    return urlunsplit((scheme, host, path, urlencode(sorted(query)), ""))


def site_of(url: str | None) -> str | None:
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host or None


def page_id(url: str | None, content: str | None, source: str | None = None) -> str:
    """From the canonical URL when there is one, else from the normalised content.

    A page with neither (an unreadable input) is identified by where it came from.
    """
    if url:
        return _digest("url", canonical_url(url))
    if content:
        return _digest("content", fold(content))
    return _digest("source", source or "")


def comment_id(
    page: str, text: str, author: str | None = None, posted_at: str | None = None,
    site_comment_id: str | None = None,
) -> str:
    if site_comment_id:
        return f"{page}:{site_comment_id}"
    return _digest("comment", page, fold(author or ""), posted_at or "", fold(text))
