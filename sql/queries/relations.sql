-- Tables (regular, partitioned, partitions, foreign), views, materialized
-- views and sequences. $1, $2: optional (schema, name) scope.
--
-- pg_get_viewdef looks the view's rule up through a prepared SPI plan,
-- which a full read's plan_cache_mode (force_custom_plan) had planned
-- anew for every view (1,000 views: ~0.1 s of server CPU). A full read
-- lets plan_cache_mode go back to auto (generic after five) while this
-- query runs, once this statement's own plan is chosen (a one-time
-- filter), and the caller sets it back.
SELECT c.oid, c.reltype, n.nspname, c.relname, c.relkind::text, c.relpersistence::text,
  CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END AS partition_key,
  CASE WHEN c.relispartition THEN
    (SELECT pg_catalog.quote_ident(pn.nspname) || '.' || pg_catalog.quote_ident(pc.relname)
     FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent
     JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace WHERE i.inhrelid = c.oid) END AS partition_of,
  CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END AS partition_bound,
  CASE WHEN NOT c.relispartition AND c.relkind IN ('r', 'p', 'f') THEN ih.parents END AS inherits,
  CASE WHEN c.reloftype <> 0 THEN pg_catalog.format_type(c.reloftype, NULL) END AS of_type,
  CASE WHEN c.reloptions IS NOT NULL OR ft.ftoptions IS NOT NULL THEN
    pg_catalog.array_to_string(ARRAY(SELECT pg_catalog.unnest(c.reloptions || ft.ftoptions) ORDER BY 1), ', ') END AS options,
  fs.srvname::text AS server,
  c.relrowsecurity, c.relforcerowsecurity,
  -- REPLICA IDENTITY USING INDEX: 'i' and the index's name (looked up for
  -- those tables alone).
  CASE WHEN c.relreplident = 'i' THEN
    'i' || COALESCE((SELECT ' ' || pg_catalog.quote_ident(ic.relname) FROM pg_catalog.pg_index x
                     JOIN pg_catalog.pg_class ic ON ic.oid = x.indexrelid
                     WHERE x.indrelid = c.oid AND x.indisreplident), '')
  ELSE c.relreplident::text END AS relreplident,
  CASE WHEN c.relkind IN ('v', 'm') THEN pg_catalog.pg_get_viewdef(c.oid) END AS viewdef,
  -- A view's column comments, as COMMENT ON COLUMN takes them: col IS 'text'.
  CASE WHEN c.relkind IN ('v', 'm') THEN
    (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname) || ' IS ' || pg_catalog.quote_literal(cd.description), ', ' ORDER BY a.attnum)
     FROM pg_catalog.pg_description cd
     JOIN pg_catalog.pg_attribute a ON a.attrelid = cd.objoid AND a.attnum = cd.objsubid
     WHERE cd.objoid = c.oid AND cd.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND cd.objsubid > 0) END AS column_comments,
  -- A view's column defaults (ALTER VIEW ... ALTER COLUMN ... SET DEFAULT),
  -- col expr, one a line: an expression may hold ", ".
  CASE WHEN c.relkind = 'v' THEN
    (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname) || ' ' || pg_catalog.pg_get_expr(ad.adbin, ad.adrelid), E'\n' ORDER BY a.attnum)
     FROM pg_catalog.pg_attrdef ad
     JOIN pg_catalog.pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum
     WHERE ad.adrelid = c.oid) END AS column_defaults,
  d.description, c.relacl::text[], pg_catalog.pg_get_userbyid(c.relowner)::text
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
-- Every table's parents at once: a subquery per table rescanned
-- pg_inherits (usually empty) 10,000 times.
LEFT JOIN (SELECT i.inhrelid,
             pg_catalog.string_agg(pg_catalog.quote_ident(pn.nspname) || '.' || pg_catalog.quote_ident(pc.relname), ', ' ORDER BY i.inhseqno) AS parents
           FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent
           JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
           GROUP BY i.inhrelid) ih ON ih.inhrelid = c.oid
LEFT JOIN pg_catalog.pg_foreign_table ft ON ft.ftrelid = c.oid
LEFT JOIN pg_catalog.pg_foreign_server fs ON fs.oid = ft.ftserver
LEFT JOIN pg_catalog.pg_description d
  ON d.objoid = c.oid AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objsubid = 0
WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm')
  AND /*full*/(SELECT pg_catalog.set_config('plan_cache_mode', 'auto', true)) IS NOT NULL/*scoped*/true/*endscope*/
  AND {{user_schema n}}
  AND {{not_extension_member pg_class c.oid}}
  AND ($1::text[] IS NULL OR (n.nspname::text, c.relname::text) IN (SELECT * FROM unnest($1::text[], $2::text[])))
  -- by name too, so a scoped read starts from the name index, not a scan
  AND ($2::text[] IS NULL OR c.relname = ANY ($2::pg_catalog.name[]))
