-- Search facets (marsad.store.facets), kept as in SQLite so that both stores hold the same
-- rows. SQLite's FTS5 filters by them; PostgreSQL's GIN search filters through its joins.
ALTER TABLE search_units ADD COLUMN facets TEXT NOT NULL DEFAULT '';

UPDATE search_units u SET facets = 'k' || u.kind
    || coalesce((SELECT ' s' || upper(encode(convert_to(p.site, 'UTF8'), 'hex')) FROM pages p
                 WHERE p.id = u.page_id AND p.site <> ''), '')
    || coalesce((SELECT ' m' || substr(p.published_at, 1, 4) || substr(p.published_at, 6, 2)
                 FROM pages p WHERE p.id = u.page_id
                 AND p.published_at ~ '^[0-9]{4}-[0-9]{2}'), '');

-- A comment unit's last token is its effective decision: the moderator's (comment_states)
-- when there is one, else the model's (as marsad.store.filters.effective_decision_sql).
CREATE FUNCTION marsad_decision_facets(facets TEXT, human_state TEXT, model TEXT)
RETURNS TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT split_part(facets || ' e', ' e', 1) || coalesce(' e' || coalesce(
        CASE human_state WHEN 'approved' THEN 'approve' WHEN 'rejected_by_human' THEN 'reject' END,
        model), '')
$$;

UPDATE search_units u SET facets = marsad_decision_facets(u.facets, s.state, c.decision)
FROM comments c LEFT JOIN comment_states s ON s.comment_id = c.id
WHERE u.kind = 'comment' AND c.id = u.ref AND c.page_id = u.page_id;

-- A moderator's decision (or its undo) moves the comment's unit to its new effective decision.
CREATE FUNCTION marsad_comment_states_facets() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    cid TEXT;
    human TEXT;
BEGIN
    IF TG_OP = 'DELETE' THEN cid := OLD.comment_id; human := NULL;
    ELSE cid := NEW.comment_id; human := NEW.state;
    END IF;
    UPDATE search_units u SET facets = marsad_decision_facets(u.facets, human, c.decision)
    FROM comments c
    WHERE c.id = cid AND u.page_id = c.page_id AND u.kind = 'comment' AND u.ref = cid;
    RETURN NULL;
END
$$;
CREATE TRIGGER comment_states_facets AFTER INSERT OR UPDATE OR DELETE ON comment_states
FOR EACH ROW EXECUTE FUNCTION marsad_comment_states_facets();

-- A page stored again keeps its comments' human decisions in their facets.
CREATE FUNCTION marsad_unit_facets() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    human TEXT;
BEGIN
    IF NEW.kind = 'comment' THEN
        SELECT s.state INTO human FROM comment_states s WHERE s.comment_id = NEW.ref;
        IF human IN ('approved', 'rejected_by_human') THEN
            NEW.facets := marsad_decision_facets(NEW.facets, human, NULL);
        END IF;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER search_units_facets BEFORE INSERT ON search_units
FOR EACH ROW EXECUTE FUNCTION marsad_unit_facets();
