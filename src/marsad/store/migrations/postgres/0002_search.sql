-- Search (marsad.store.search): one row per searchable unit of a page — its title, each
-- paragraph, each comment, each quote — with the unit's original text for snippets and
-- its index terms: our own normalised, lightly stemmed words (marsad.text.stem), as a
-- tsvector built without any text-search configuration (no database stemmer, no parser).
-- Units are replaced with their page (rows.py). Columns as in the SQLite migration.
CREATE TABLE search_units (
    id      BIGSERIAL PRIMARY KEY,
    page_id TEXT NOT NULL REFERENCES pages (id) ON DELETE CASCADE,
    kind    TEXT NOT NULL,
    ref     TEXT NOT NULL,
    text    TEXT NOT NULL,
    speaker TEXT,
    terms   TSVECTOR NOT NULL
);
CREATE INDEX search_units_page ON search_units (page_id);
CREATE INDEX search_units_terms ON search_units USING GIN (terms);

-- Our terms string (words separated by spaces, a word's stems by '|') as a tsvector whose
-- positions are word numbers, so ts_rank_cd sees a word's stems at one position. Lexemes
-- are taken as they are (they hold only letters and digits; quote_literal is for safety).
CREATE FUNCTION marsad_tsvector(terms TEXT) RETURNS TSVECTOR
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(string_agg(quote_literal(s.stem) || ':' || least(w.n, 16383), ' '), '')::tsvector
    FROM unnest(string_to_array(terms, ' ')) WITH ORDINALITY AS w (word, n),
         unnest(string_to_array(w.word, '|')) AS s (stem)
    WHERE s.stem <> ''
$$;
