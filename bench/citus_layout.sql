-- citus_layout.sql — the README's layout for a distributed server (doc/postgresql.md, "Beyond
-- one server") applied to a base lcmtui made on a Citus coordinator, for bench/citus_trial.sh.
-- Run by psql on the coordinator, after the base holds its rows: the tables are distributed
-- with their rows. It makes the changes of the schema that the layout needs and lcmtui's own
-- schema does not have yet, and says each one (NOTICE):
--   - the keys of the distributed tables that do not include the distribution column are
--     dropped (Citus cannot enforce them): the global uniqueness of (source, ext_id) and of a
--     follow-up's uid, which the layout moves to lookup tables (not built: lcmtui's import
--     upserts on those keys, and fails here);
--   - a primary key (id) becomes (learner_id, id);
--   - a foreign key to such a table by its id alone names the learner too, and one Citus
--     refuses as it is (ON UPDATE CASCADE or ON DELETE SET NULL with the distribution column
--     in the key) is made without that action where it can be, else left out.
-- Every refusal is a NOTICE, and the last query lists the tables by kind.
\set ON_ERROR_STOP 1
\set QUIET 1
-- The snooze triggers update the same enrollment's risk row, co-located with it.
SET citus.enable_unsafe_triggers = on;
CREATE TEMP TABLE lay_fk AS
SELECT conrelid::regclass::text AS tab, conname, pg_get_constraintdef(oid) AS def
FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace;
CREATE TEMP TABLE lay_key AS
SELECT conrelid::regclass::text AS tab, conname, contype, pg_get_constraintdef(oid) AS def,
       ARRAY(SELECT attname::text FROM pg_attribute a
             WHERE a.attrelid = conrelid AND a.attnum = ANY (conkey)) AS cols
FROM pg_constraint WHERE contype IN ('p', 'u') AND connamespace = 'public'::regnamespace;
-- Distributed by the learner, co-located with learner (by id); the reference tables.
CREATE TEMP TABLE lay_dist (tab text, col text, ord int);
INSERT INTO lay_dist VALUES
    ('learner', 'id', 0), ('enrollment', 'learner_id', 1), ('activity_day', 'learner_id', 2),
    ('milestone_done', 'learner_id', 2), ('risk', 'learner_id', 2), ('snooze', 'learner_id', 2),
    ('sequence_fired', 'learner_id', 2), ('sequence_holdout', 'learner_id', 2),
    ('activity_week', 'learner_id', 2), ('checkin', 'learner_id', 2),
    ('followup', 'learner_id', 2), ('message', 'learner_id', 2), ('learner_key', 'learner_id', 2),
    ('caseload', 'learner_id', 2), ('contact_claim', 'learner_id', 2),
    ('contact_override', 'learner_id', 2), ('event_invitee', 'learner_id', 2),
    ('inbox_msg', 'learner_id', 2);
CREATE TEMP TABLE lay_ref (tab text);
INSERT INTO lay_ref VALUES ('program'), ('cohort'), ('milestone'), ('kv'), ('sync_state'),
    ('sync_run'), ('busy_time'), ('caldav_state'), ('lcm_user'), ('event'), ('event_cohort'),
    ('cohort_owner');

DO $$
DECLARE r record;
BEGIN
    -- Foreign keys first (made again at the end), then the keys Citus cannot keep.
    FOR r IN SELECT * FROM lay_fk LOOP
        EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', r.tab, r.conname);
    END LOOP;
    FOR r IN SELECT k.*, d.col FROM lay_key k JOIN lay_dist d ON d.tab = k.tab
             WHERE NOT (d.col = ANY (k.cols)) LOOP
        EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I CASCADE', r.tab, r.conname);
        IF r.contype = 'p' THEN
            EXECUTE format('ALTER TABLE %I ADD PRIMARY KEY (learner_id, id)', r.tab);
            RAISE NOTICE 'layout: %: % is now PRIMARY KEY (learner_id, id)', r.tab, r.def;
        ELSE
            RAISE NOTICE 'layout: %: % dropped (global uniqueness: a lookup table, not built)',
                r.tab, r.def;
        END IF;
    END LOOP;
END $$;

SELECT count(create_distributed_table(tab, col,
             colocate_with => CASE WHEN tab = 'learner' THEN 'default' ELSE 'learner' END))
FROM (SELECT * FROM lay_dist ORDER BY ord) d \gset dist_
SELECT count(create_reference_table(tab)) FROM lay_ref \gset ref_

DO $$
DECLARE r record; nd text;
BEGIN
    FOR r IN SELECT * FROM lay_fk LOOP
        nd := r.def;
        -- to a table whose key became (learner_id, id): by the learner too
        IF nd ~ '^FOREIGN KEY \((enrollment_id|checkin_id|message_id|claim_id|question_id)\) REFERENCES (enrollment|checkin|message|contact_claim|inbox_msg)\(id\)'
           AND EXISTS (SELECT 1 FROM lay_dist WHERE tab = r.tab)
           AND EXISTS (SELECT 1 FROM lay_key k WHERE k.contype = 'p' AND k.cols = ARRAY['id']
                       AND k.tab = substring(nd from 'REFERENCES ([a-z_]+)\(')) THEN
            nd := regexp_replace(regexp_replace(nd, '^FOREIGN KEY \(', 'FOREIGN KEY (learner_id, '),
                                  '\(id\)', '(learner_id, id)');
        END IF;
        BEGIN
            EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I %s', r.tab, r.conname, nd);
            IF nd <> r.def THEN
                RAISE NOTICE 'layout: %: % is now %', r.tab, r.def, nd;
            END IF;
        EXCEPTION WHEN OTHERS THEN
            IF nd <> r.def AND nd ~ 'ON DELETE SET NULL' THEN
                -- the learner kept: only the id set to NULL (PostgreSQL 15's column list)
                nd := replace(nd, 'ON DELETE SET NULL', 'ON DELETE SET NULL ('
                               || substring(r.def from '^FOREIGN KEY \(([a-z_]+)\)') || ')');
                BEGIN
                    EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I %s', r.tab, r.conname, nd);
                    RAISE NOTICE 'layout: %: % is now %', r.tab, r.def, nd;
                EXCEPTION WHEN OTHERS THEN
                    RAISE NOTICE 'layout: %: % refused: %', r.tab, nd, SQLERRM;
                END;
            ELSIF nd ~ 'ON UPDATE CASCADE' THEN
                BEGIN
                    EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I %s', r.tab, r.conname,
                                   replace(nd, 'ON UPDATE CASCADE ', ''));
                    RAISE NOTICE 'layout: %: % without ON UPDATE CASCADE (refused: %)', r.tab,
                        r.def, SQLERRM;
                EXCEPTION WHEN OTHERS THEN
                    RAISE NOTICE 'layout: %: % refused: %', r.tab, nd, SQLERRM;
                END;
            ELSE
                RAISE NOTICE 'layout: %: % refused: %', r.tab, nd, SQLERRM;
            END IF;
        END;
    END LOOP;
END $$;

\echo :dist_count tables distributed, :ref_count reference tables
SELECT k || ': ' || string_agg(relname, ' ' ORDER BY relname)
FROM (SELECT relname,
             CASE WHEN p.partmethod = 'h' THEN 'distributed'
                  WHEN p.repmodel = 't' THEN 'reference'
                  WHEN p.logicalrelid IS NOT NULL THEN 'citus local'
                  ELSE 'local (coordinator)' END AS k
      FROM pg_class c LEFT JOIN pg_dist_partition p ON p.logicalrelid = c.oid
      WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace) t
GROUP BY k ORDER BY k;
