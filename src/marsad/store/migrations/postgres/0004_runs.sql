-- The shard log of `marsad run`: a shard is recorded in the same transaction as its pages,
-- so a killed run never marks a shard it did not finish, and a re-run skips the ones it did.
-- shard_key digests the shard's documents (sources and contents) and the pipeline that
-- processed them (marsad version, steps): changed inputs or a new pipeline redo the shard.
CREATE TABLE run_shards (
    shard_key    TEXT PRIMARY KEY,
    first_source TEXT,
    pages        INTEGER NOT NULL,
    finished_at  TEXT NOT NULL
);
