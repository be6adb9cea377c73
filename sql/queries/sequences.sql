-- Sequences, without identity-column sequences (the column covers them).
SELECT n.nspname, c.relname, pg_catalog.format_type(s.seqtypid, NULL),
  s.seqstart::text, s.seqincrement::text, s.seqmin::text, s.seqmax::text, s.seqcache::text, s.seqcycle,
  -- regnamespace prints the schema as quote_ident does, from the syscache:
  -- a join rescanned pg_namespace for every sequence. A full read names the
  -- owning table alone, and the caller adds the column's name from what the
  -- columns step read: looking it up in pg_attribute took more than half
  -- of this query's time (80 ms at 10,000 tables). owner_column is NULL
  -- when owned_by is complete. /*full*/a/*scoped*/b/*endscope*/: a on a
  -- full read.
  (SELECT tc.relnamespace::pg_catalog.regnamespace::text || '.' || pg_catalog.quote_ident(tc.relname) /*full*//*scoped*/|| '.' || pg_catalog.quote_ident(a.attname)/*endscope*/
   FROM pg_catalog.pg_class tc
   /*full*//*scoped*/JOIN pg_catalog.pg_attribute a ON a.attrelid = tc.oid AND a.attnum = dep.owner_column/*endscope*/
   WHERE tc.oid = dep.owner) AS owned_by,
  d.description, c.relacl::text[], pg_catalog.pg_get_userbyid(c.relowner)::text,
  dep.owner, /*full*/dep.owner_column/*scoped*/NULL::pg_catalog.int4/*endscope*/ AS owner_column
FROM pg_catalog.pg_sequence s
JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
-- One look at the sequence's pg_depend rows: its owning column ('a'), and
-- whether it belongs to an identity column ('i') or an extension ('e').
CROSS JOIN LATERAL (
  SELECT pg_catalog.bool_or(dp.deptype = 'i') AS identity, pg_catalog.bool_or(dp.deptype = 'e') AS extension,
         pg_catalog.max(dp.refobjid) FILTER (WHERE dp.deptype = 'a') AS owner,
         pg_catalog.max(dp.refobjsubid) FILTER (WHERE dp.deptype = 'a') AS owner_column
  FROM pg_catalog.pg_depend dp
  WHERE dp.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND dp.objid = c.oid
    AND (dp.deptype = 'e' OR dp.deptype IN ('a', 'i') AND dp.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass)) dep
LEFT JOIN pg_catalog.pg_description d
  ON d.objoid = c.oid AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objsubid = 0
WHERE {{user_schema n}}
  AND dep.identity IS NOT TRUE AND dep.extension IS NOT TRUE
  AND ($1::text[] IS NULL OR (n.nspname::text, c.relname::text) IN (SELECT * FROM unnest($1::text[], $2::text[])))
  -- by name too, so a scoped read starts from the name index, not a scan
  AND ($2::text[] IS NULL OR c.relname = ANY ($2::pg_catalog.name[]))
