-- Row-level-security policies.
SELECT n.nspname, c.relname, p.polname, p.polcmd::text, p.polpermissive,
  CASE WHEN p.polroles = '{0}' THEN 'PUBLIC'
       ELSE (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(r.rolname), ', ' ORDER BY r.rolname)
             FROM pg_catalog.pg_roles r WHERE r.oid = ANY (p.polroles)) END AS roles,
  pg_catalog.pg_get_expr(p.polqual, p.polrelid), pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid),
  d.description
FROM pg_catalog.pg_policy p
JOIN pg_catalog.pg_class c ON c.oid = p.polrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_description d
  ON d.objoid = p.oid AND d.classoid = 'pg_catalog.pg_policy'::pg_catalog.regclass AND d.objsubid = 0
WHERE {{user_schema n}}
  AND {{not_extension_member pg_class c.oid}}
  AND ($1::text[] IS NULL OR (n.nspname::text, c.relname::text) IN (SELECT * FROM unnest($1::text[], $2::text[])))
  -- by name too, so a scoped read starts from the name index, not a scan
  AND ($2::text[] IS NULL OR c.relname = ANY ($2::pg_catalog.name[]))
