-- De-duplication (marsad.dedup): signatures written with their page, and the clustering
-- stage's own tables: its LSH index, what it knows of each page it clustered, clusters and
-- their members. Cluster ids live here, never in the page record (DESIGN.md, "Flow").

-- The sign step's MinHash (little-endian uint32 values); replaced with the page.
CREATE TABLE page_signatures (
    page_id   TEXT PRIMARY KEY REFERENCES pages (id) ON DELETE CASCADE,
    signature BYTEA NOT NULL
);

-- A page as the clustering stage last saw it. A signature row with no row here, or with a
-- different signature (the text changed), is a page still to cluster.
CREATE TABLE dedup_pages (
    page_id   TEXT PRIMARY KEY,
    signature BYTEA NOT NULL,
    text_hash TEXT NOT NULL,
    shingles  BYTEA NOT NULL,
    n_words   INTEGER NOT NULL
);
CREATE INDEX dedup_pages_text_hash ON dedup_pages (text_hash);

-- The LSH index: one row per (band bucket, page). A bucket is a 64-bit hash of the band's
-- number and its signature values. No index by page: a page's rows are found again from
-- the signature kept in dedup_pages, which keeps this table at one B-tree.
CREATE TABLE dedup_bands (
    bucket  BIGINT NOT NULL,
    page_id TEXT NOT NULL,
    PRIMARY KEY (bucket, page_id)
);

-- A cluster: its representative is its earliest page by (published_at, fetched_at, id).
CREATE TABLE clusters (
    id             TEXT PRIMARY KEY,
    representative TEXT NOT NULL,
    size           INTEGER NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX clusters_size ON clusters (size);

-- Every clustered page has a row (a page alone is a cluster of one). Search filters on
-- exactly these two columns. "how": founded, exact or near; similarity: the best verified
-- similarity (Jaccard or containment) that made it join.
CREATE TABLE cluster_members (
    page_id    TEXT PRIMARY KEY,
    cluster_id TEXT NOT NULL,
    how        TEXT NOT NULL,
    similarity DOUBLE PRECISION
);
CREATE INDEX cluster_members_cluster ON cluster_members (cluster_id);

-- The parameters the LSH index and memberships were built with (DedupParams, as JSON).
CREATE TABLE dedup_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Comment-level duplicates: a hash of the normalised comment text, filled by the clustering
-- stage ('' for a comment too short to flag); the same hash under several pages is a pasted
-- comment.
ALTER TABLE comments ADD COLUMN text_hash TEXT;
CREATE INDEX comments_text_hash ON comments (text_hash);
