-- Rewrite rules other than the ones that implement views.
SELECT n.nspname, c.relname, r.rulename, pg_catalog.pg_get_ruledef(r.oid), r.ev_enabled::text, d.description
FROM pg_catalog.pg_rewrite r
JOIN pg_catalog.pg_class c ON c.oid = r.ev_class
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_description d
  ON d.objoid = r.oid AND d.classoid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND d.objsubid = 0
WHERE r.rulename <> '_RETURN'
  AND {{user_schema n}}
  AND {{not_extension_member pg_class c.oid}}
  AND ($1::text[] IS NULL OR (n.nspname::text, c.relname::text) IN (SELECT * FROM unnest($1::text[], $2::text[])))
  -- by name too, so a scoped read starts from the name index, not a scan
  AND ($2::text[] IS NULL OR c.relname = ANY ($2::pg_catalog.name[]))
