-- Search (marsad.store.search): one row per searchable unit of a page — its title, each
-- paragraph, each comment, each quote — with the unit's original text for snippets and
-- its index terms: our own normalised, lightly stemmed words (marsad.text.stem), never the
-- database's. Units are replaced with their page (rows.py).
--   kind: title | paragraph | comment | quote
--   ref:  '' for the title, the paragraph number (from 1), the comment id, the quote position
--   speaker: a quote's speaker, folded (marsad.text.normalize.fold), for the speaker filter
--   terms: each word's stems, words separated by spaces and a word's stems by '|'
CREATE TABLE search_units (
    id      INTEGER PRIMARY KEY,
    page_id TEXT NOT NULL REFERENCES pages (id) ON DELETE CASCADE,
    kind    TEXT NOT NULL,
    ref     TEXT NOT NULL,
    text    TEXT NOT NULL,
    speaker TEXT,
    terms   TEXT NOT NULL
);
CREATE INDEX search_units_page ON search_units (page_id);

-- FTS5 over the terms, external content (the terms are stored once, in search_units). The
-- ascii tokenizer splits only at ASCII non-letters, so each of our terms is one token as we
-- made it. detail=full although we never ask for phrases: with less detail, bm25() must
-- re-tokenize each matching row to count its terms (2-3x slower searches).
CREATE VIRTUAL TABLE search_index USING fts5(
    terms, content='search_units', content_rowid='id', tokenize='ascii', detail='full'
);

-- New units are indexed by one statement per page (sqlite.py); a deleted unit, whether
-- replaced with its page or gone with it, leaves the index here.
CREATE TRIGGER search_units_delete AFTER DELETE ON search_units BEGIN
    INSERT INTO search_index (search_index, rowid, terms) VALUES ('delete', old.id, old.terms);
END;
