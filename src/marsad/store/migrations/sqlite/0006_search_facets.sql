-- Search facets (marsad.store.facets): a unit's kind, its page's site and its page's month
-- as tokens in a second FTS5 column, so that FTS5 applies those filters from its posting
-- lists instead of SQL reading each matching unit's page. Existing units get the same
-- tokens facets.py makes: 'k' || kind, ' s' || hex(site), ' m' || YYYYMM, ' e' || decision.
ALTER TABLE search_units ADD COLUMN facets TEXT NOT NULL DEFAULT '';

UPDATE search_units SET facets = 'k' || kind
    || coalesce((SELECT ' s' || hex(p.site) FROM pages p
                 WHERE p.id = search_units.page_id AND p.site <> ''), '')
    || coalesce((SELECT ' m' || substr(p.published_at, 1, 4) || substr(p.published_at, 6, 2)
                 FROM pages p WHERE p.id = search_units.page_id
                 AND p.published_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]*'), '');

-- A comment unit's last token is its effective decision: the moderator's (comment_states)
-- when there is one, else the model's (as marsad.store.filters.effective_decision_sql).
UPDATE search_units SET facets = facets || coalesce((
    SELECT ' e' || coalesce(CASE s.state WHEN 'approved' THEN 'approve'
                                         WHEN 'rejected_by_human' THEN 'reject' END, c.decision)
    FROM comments c LEFT JOIN comment_states s ON s.comment_id = c.id
    WHERE c.id = search_units.ref AND c.page_id = search_units.page_id), '')
WHERE kind = 'comment';

-- The index is rebuilt with the new column (weight 0 in bm25: facets never change a score).
DROP TRIGGER search_units_delete;
DROP TABLE search_index;
CREATE VIRTUAL TABLE search_index USING fts5(
    terms, facets, content='search_units', content_rowid='id', tokenize='ascii', detail='full'
);
INSERT INTO search_index (search_index) VALUES ('rebuild');

CREATE TRIGGER search_units_delete AFTER DELETE ON search_units BEGIN
    INSERT INTO search_index (search_index, rowid, terms, facets)
    VALUES ('delete', old.id, old.terms, old.facets);
END;

-- A moderator's decision (or its undo) moves the comment's unit to its new effective
-- decision: out of the index with its old facets, updated, back in.
CREATE TRIGGER comment_states_facets_insert AFTER INSERT ON comment_states BEGIN
    INSERT INTO search_index (search_index, rowid, terms, facets)
    SELECT 'delete', u.id, u.terms, u.facets FROM comments c
    JOIN search_units u ON u.page_id = c.page_id AND u.kind = 'comment' AND u.ref = c.id
    WHERE c.id = NEW.comment_id;
    UPDATE search_units SET facets = substr(facets, 1, instr(facets || ' e', ' e') - 1)
        || coalesce(' e' || coalesce(CASE NEW.state WHEN 'approved' THEN 'approve' WHEN 'rejected_by_human' THEN 'reject' END,
                                     (SELECT decision FROM comments WHERE id = NEW.comment_id)), '')
    WHERE page_id = (SELECT page_id FROM comments WHERE id = NEW.comment_id)
      AND kind = 'comment' AND ref = NEW.comment_id;
    INSERT INTO search_index (rowid, terms, facets)
    SELECT u.id, u.terms, u.facets FROM comments c
    JOIN search_units u ON u.page_id = c.page_id AND u.kind = 'comment' AND u.ref = c.id
    WHERE c.id = NEW.comment_id;
END;

CREATE TRIGGER comment_states_facets_update AFTER UPDATE ON comment_states BEGIN
    INSERT INTO search_index (search_index, rowid, terms, facets)
    SELECT 'delete', u.id, u.terms, u.facets FROM comments c
    JOIN search_units u ON u.page_id = c.page_id AND u.kind = 'comment' AND u.ref = c.id
    WHERE c.id = NEW.comment_id;
    UPDATE search_units SET facets = substr(facets, 1, instr(facets || ' e', ' e') - 1)
        || coalesce(' e' || coalesce(CASE NEW.state WHEN 'approved' THEN 'approve' WHEN 'rejected_by_human' THEN 'reject' END,
                                     (SELECT decision FROM comments WHERE id = NEW.comment_id)), '')
    WHERE page_id = (SELECT page_id FROM comments WHERE id = NEW.comment_id)
      AND kind = 'comment' AND ref = NEW.comment_id;
    INSERT INTO search_index (rowid, terms, facets)
    SELECT u.id, u.terms, u.facets FROM comments c
    JOIN search_units u ON u.page_id = c.page_id AND u.kind = 'comment' AND u.ref = c.id
    WHERE c.id = NEW.comment_id;
END;

CREATE TRIGGER comment_states_facets_delete AFTER DELETE ON comment_states BEGIN
    INSERT INTO search_index (search_index, rowid, terms, facets)
    SELECT 'delete', u.id, u.terms, u.facets FROM comments c
    JOIN search_units u ON u.page_id = c.page_id AND u.kind = 'comment' AND u.ref = c.id
    WHERE c.id = OLD.comment_id;
    UPDATE search_units SET facets = substr(facets, 1, instr(facets || ' e', ' e') - 1)
        || coalesce(' e' || coalesce(NULL,
                                     (SELECT decision FROM comments WHERE id = OLD.comment_id)), '')
    WHERE page_id = (SELECT page_id FROM comments WHERE id = OLD.comment_id)
      AND kind = 'comment' AND ref = OLD.comment_id;
    INSERT INTO search_index (rowid, terms, facets)
    SELECT u.id, u.terms, u.facets FROM comments c
    JOIN search_units u ON u.page_id = c.page_id AND u.kind = 'comment' AND u.ref = c.id
    WHERE c.id = OLD.comment_id;
END;
