-- Moderation state for the moderators' service (issue 6). Model output stays in `comments`
-- (replaced by every re-run); everything people do lives in these tables, which no re-run
-- touches.

-- human_decisions (0001) becomes the audit log of every human action: an approve or a
-- reject, or an undo of the latest one still standing. An undone decision keeps its row
-- and gains `undone_at`; the undo is a row of its own, pointing at it with `undoes`.
ALTER TABLE human_decisions ADD COLUMN action TEXT;
ALTER TABLE human_decisions ADD COLUMN undoes BIGINT;
ALTER TABLE human_decisions ADD COLUMN undone_at TEXT;
CREATE INDEX human_decisions_moderator ON human_decisions (moderator);

-- A comment's current human state (approved, rejected_by_human) and the decision behind
-- it; no row means the model's decision stands. Kept in the same transaction as the log.
CREATE TABLE comment_states (
    comment_id  TEXT PRIMARY KEY,
    state       TEXT NOT NULL,
    decision_id BIGINT NOT NULL,
    moderator   TEXT NOT NULL,
    decided_at  TEXT NOT NULL
);
CREATE INDEX comment_states_state ON comment_states (state);

CREATE INDEX comments_author ON comments (author);
-- Stream comments take the next display index of their page: max(idx) must not scan it.
CREATE INDEX comments_page_idx ON comments (page_id, idx);

-- Comments posted one by one to POST /v1/moderate: their rows live in `comments` under a
-- per-site stream page (id "stream:SITE"), so queues see them like crawled comments; this
-- table keeps what only they have: the site's own id and the article they were posted on.
CREATE TABLE stream_comments (
    comment_id      TEXT PRIMARY KEY,
    site            TEXT NOT NULL,
    site_comment_id TEXT,
    article_url     TEXT,
    article_title   TEXT,
    received_at     TEXT NOT NULL
);

-- People who sign in. Passwords are stored as scrypt hashes (marsad.store.users).
CREATE TABLE users (
    name          TEXT PRIMARY KEY,
    role          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    disabled_at   TEXT
);

-- API tokens: only a SHA-256 of each token is kept; the token is shown once.
CREATE TABLE api_tokens (
    id         TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_name  TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
    role       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX api_tokens_user ON api_tokens (user_name);

-- Failed sign-ins per user name and client address, for throttling (kept in the store so
-- every server process sees the same count).
CREATE TABLE signin_failures (
    user_name TEXT NOT NULL,
    ip        TEXT NOT NULL,
    failures  INTEGER NOT NULL,
    first_at  TEXT NOT NULL,
    last_at   TEXT NOT NULL,
    PRIMARY KEY (user_name, ip)
);
