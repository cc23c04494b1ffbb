-- Pages and what every stage adds to them, as queryable tables. The full record is kept
-- as JSON too, so a page round-trips exactly; the tables are for queries.
CREATE TABLE pages (
    id                TEXT PRIMARY KEY,
    url               TEXT,
    site              TEXT,
    source            TEXT,
    language          TEXT,
    encoding          TEXT,
    published_at      TEXT,
    fetched_at        TEXT,
    title             TEXT,
    author            TEXT,
    comments_declared INTEGER,
    record            TEXT NOT NULL,
    stored_at         TEXT NOT NULL
);
CREATE INDEX pages_site ON pages (site);
CREATE INDEX pages_published ON pages (published_at);

CREATE TABLE comments (
    id         TEXT PRIMARY KEY,
    page_id    TEXT NOT NULL REFERENCES pages (id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    author     TEXT,
    posted_at  TEXT,
    parent     TEXT,
    text       TEXT NOT NULL,
    dialect    TEXT,
    decision   TEXT,
    verdict    TEXT
);
CREATE INDEX comments_page ON comments (page_id);
CREATE INDEX comments_decision ON comments (decision);

CREATE TABLE removed (
    page_id  TEXT NOT NULL REFERENCES pages (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind     TEXT NOT NULL,
    text     TEXT NOT NULL,
    PRIMARY KEY (page_id, position)
);

CREATE TABLE problems (
    page_id  TEXT NOT NULL REFERENCES pages (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    stage    TEXT NOT NULL,
    kind     TEXT NOT NULL,
    message  TEXT NOT NULL,
    PRIMARY KEY (page_id, position)
);
CREATE INDEX problems_kind ON problems (kind);

CREATE TABLE entities (
    page_id   TEXT NOT NULL REFERENCES pages (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    text      TEXT NOT NULL,
    canonical TEXT NOT NULL,
    type      TEXT NOT NULL,
    location  TEXT NOT NULL,
    start     INTEGER NOT NULL,
    "end"     INTEGER NOT NULL,
    PRIMARY KEY (page_id, position)
);
CREATE INDEX entities_canonical ON entities (canonical);

CREATE TABLE quotes (
    page_id   TEXT NOT NULL REFERENCES pages (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    speaker   TEXT,
    cue       TEXT NOT NULL,
    content   TEXT NOT NULL,
    direct    INTEGER NOT NULL,
    via       TEXT,
    anonymous INTEGER NOT NULL,
    PRIMARY KEY (page_id, position)
);

-- Human decisions live apart from model output: no re-run of the pipeline touches them.
CREATE TABLE human_decisions (
    id         BIGSERIAL PRIMARY KEY,
    comment_id TEXT NOT NULL,
    moderator  TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    from_state TEXT,
    to_state   TEXT NOT NULL,
    reason     TEXT
);
CREATE INDEX human_decisions_comment ON human_decisions (comment_id);
