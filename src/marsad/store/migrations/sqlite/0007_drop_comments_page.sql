-- comments_page (page_id) repeats the first column of comments_page_idx (page_id, idx),
-- which serves every lookup by page; each comment stored paid for both (about 3% of the
-- SQLite writer's work, measured by instruction count).
DROP INDEX comments_page;
