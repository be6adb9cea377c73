-- Extended statistics objects (CREATE STATISTICS), with the statistics
-- target ALTER STATISTICS sets (-1, or NULL from 17: the default).
SELECT n.nspname, s.stxname, pg_catalog.pg_get_statisticsobjdef(s.oid), d.description,
  CASE WHEN s.stxstattarget >= 0 THEN s.stxstattarget::text END
FROM pg_catalog.pg_statistic_ext s
JOIN pg_catalog.pg_namespace n ON n.oid = s.stxnamespace
JOIN pg_catalog.pg_class c ON c.oid = s.stxrelid
LEFT JOIN pg_catalog.pg_description d
  ON d.objoid = s.oid AND d.classoid = 'pg_catalog.pg_statistic_ext'::pg_catalog.regclass AND d.objsubid = 0
WHERE {{user_schema n}}
  AND {{not_extension_member pg_class c.oid}}
  AND ($1::text[] IS NULL OR (n.nspname::text, c.relname::text) IN (SELECT * FROM unnest($1::text[], $2::text[])))
  -- by name too, so a scoped read starts from the name index, not a scan
  AND ($2::text[] IS NULL OR c.relname = ANY ($2::pg_catalog.name[]))
