-- User triggers (not the internal ones behind foreign keys). parent_*: the
-- trigger of the partitioned table this one was cloned from.
SELECT n.nspname, c.relname, tg.tgname, pg_catalog.pg_get_triggerdef(tg.oid), tg.tgenabled::text,
  tg.tgparentid <> 0 AS inherited, d.description,
  pn.nspname AS parent_schema, pc.relname AS parent_table, ptg.tgname AS parent_name
FROM pg_catalog.pg_trigger tg
JOIN pg_catalog.pg_class c ON c.oid = tg.tgrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_trigger ptg ON ptg.oid = tg.tgparentid
LEFT JOIN pg_catalog.pg_class pc ON pc.oid = ptg.tgrelid
LEFT JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
LEFT JOIN pg_catalog.pg_description d
  ON d.objoid = tg.oid AND d.classoid = 'pg_catalog.pg_trigger'::pg_catalog.regclass AND d.objsubid = 0
WHERE NOT tg.tgisinternal
  AND {{user_schema n}}
  AND {{not_extension_member pg_class c.oid}}
  AND ($1::text[] IS NULL OR (n.nspname::text, c.relname::text) IN (SELECT * FROM unnest($1::text[], $2::text[])))
  -- by name too, so a scoped read starts from the name index, not a scan
  AND ($2::text[] IS NULL OR c.relname = ANY ($2::pg_catalog.name[]))
