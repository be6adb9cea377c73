-- Table constraints (primary key, unique, check, foreign key, exclusion).
-- Constraint triggers are reported as triggers; NOT NULL is a column attribute.
-- parent_*: the constraint of the partitioned table this one was cloned from.
-- ref_*: for a foreign key, the key constraint (or unique index) it uses.
--
-- A cold pg_get_constraintdef looks every column name up on its own; keys
-- and foreign keys come back as their fields instead (definition NULL) and
-- the caller renders them as pg_get_constraintdef prints them. Checks,
-- exclusions and keys using newer syntax (temporal keys, SET NULL column
-- lists) still go through the function. /*vNN*/a/*else*/b/*end*/: a on NN+.
SELECT n.nspname, c.relname, co.conname, co.contype::text,
  CASE WHEN /*full*/true/*scoped*/false/*endscope*/ AND co.contype IN ('p', 'u', 'f') AND NOT /*v18*/co.conperiod/*else*/false/*end*/
            AND /*v15*/co.confdelsetcols IS NULL/*else*/true/*end*/ THEN NULL
       ELSE pg_catalog.pg_get_constraintdef(co.oid) END AS definition,
  NOT co.conislocal AS inherited, co.confrelid,
  d.description, pn.nspname AS parent_schema, pc.relname AS parent_table, pco.conname AS parent_name,
  fk.ref_schema, fk.ref_table, fk.ref_key, fk.ref_is_index,
  co.conrelid, co.conkey, co.confkey, co.confmatchtype::text, co.confupdtype::text, co.confdeltype::text,
  co.condeferrable, co.condeferred, co.convalidated,
  fk.ref_name,
  kx.indkey::pg_catalog.int2[] AS index_key, kx.indnkeyatts, kx.indnullsnotdistinct,
  kd.description AS index_comment,
  -- A key's index storage parameters: pg_get_constraintdef leaves them out
  -- (an exclusion constraint's it prints).
  CASE WHEN co.contype IN ('p', 'u') THEN
    (SELECT ki.reloptions::text[] FROM pg_catalog.pg_class ki WHERE ki.oid = co.conindid) END AS index_options,
  -- A key added ON ONLY a partitioned table (as pg_dump adds them) has an
  -- index that stays invalid until every partition's key index is
  -- attached to it, as an index made ON ONLY does (indexes.sql): invalid,
  -- and attached, the partitions' key indexes (named as their
  -- constraints) attached to it so far.
  COALESCE(kv.invalid, false) AS invalid,
  CASE WHEN kv.invalid THEN
    {{attached_indexes co.conindid}}
  END AS attached,
  -- A partition's key whose index is attached to a partitioned table's
  -- plain unique index (no constraint of its own to be the parent): that
  -- index, which cannot be dropped while the key depends on it.
  ux.parent_schema AS index_parent_schema, ux.parent_name AS index_parent_name
FROM pg_catalog.pg_constraint co
JOIN pg_catalog.pg_class c ON c.oid = co.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_constraint pco ON pco.oid = co.conparentid
LEFT JOIN pg_catalog.pg_class pc ON pc.oid = pco.conrelid
LEFT JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
-- A foreign key's referenced table and the key constraint it uses, if it
-- is one (else its unique index), looked up for foreign keys alone: joined,
-- every constraint probed pg_class and pg_constraint's indexes for them.
LEFT JOIN LATERAL (
  SELECT rn.nspname AS ref_schema, rc.relname AS ref_table,
    COALESCE(rk.conname, (SELECT ri.relname FROM pg_catalog.pg_class ri WHERE ri.oid = co.conindid)) AS ref_key,
    rk.conname IS NULL AS ref_is_index,
    pg_catalog.quote_ident(rn.nspname) || '.' || pg_catalog.quote_ident(rc.relname) AS ref_name
  FROM pg_catalog.pg_class rc
  JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
  LEFT JOIN pg_catalog.pg_constraint rk
    ON rk.conindid = co.conindid AND rk.conrelid = co.confrelid AND rk.contype IN ('p', 'u', 'x')
  WHERE rc.oid = co.confrelid AND co.contype = 'f' OFFSET 0) fk ON true
-- A key's index, looked up for keys alone (a join hashed every wide row).
LEFT JOIN LATERAL (SELECT kx.indkey, kx.indnkeyatts, /*v15*/kx.indnullsnotdistinct/*else*/false/*end*/ AS indnullsnotdistinct
                   FROM pg_catalog.pg_index kx
                   WHERE kx.indexrelid = co.conindid AND co.contype IN ('p', 'u') OFFSET 0) kx ON true
-- Whether a partitioned table's key index is invalid, looked up for those
-- alone.
LEFT JOIN LATERAL (SELECT NOT vx.indisvalid AS invalid FROM pg_catalog.pg_index vx
                   WHERE vx.indexrelid = co.conindid AND c.relkind = 'p' AND co.contype IN ('p', 'u', 'x') OFFSET 0) kv ON true
-- A partition's key attached to a parent that is a plain index, looked up
-- for keys of partitions that have no parent constraint.
LEFT JOIN LATERAL (SELECT un.nspname AS parent_schema, uc.relname AS parent_name
                   FROM pg_catalog.pg_inherits ui
                   JOIN pg_catalog.pg_class uc ON uc.oid = ui.inhparent
                   JOIN pg_catalog.pg_namespace un ON un.oid = uc.relnamespace
                   WHERE ui.inhrelid = co.conindid AND c.relispartition AND co.conparentid = 0
                     AND co.contype IN ('p', 'u', 'x') OFFSET 0) ux ON true
LEFT JOIN pg_catalog.pg_description d
  ON d.objoid = co.oid AND d.classoid = 'pg_catalog.pg_constraint'::pg_catalog.regclass AND d.objsubid = 0
-- The comment on a key's index (COMMENT ON INDEX names the constraint's).
LEFT JOIN pg_catalog.pg_description kd
  ON co.contype IN ('p', 'u', 'x') AND kd.objoid = co.conindid
 AND kd.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND kd.objsubid = 0
WHERE co.contype IN ('p', 'u', 'c', 'f', 'x')
  AND {{user_schema n}}
  AND {{not_extension_member pg_class c.oid}}
  AND ($1::text[] IS NULL OR (n.nspname::text, c.relname::text) IN (SELECT * FROM unnest($1::text[], $2::text[])))
  -- by name too, so a scoped read starts from the name index, not a scan
  AND ($2::text[] IS NULL OR c.relname = ANY ($2::pg_catalog.name[]))
