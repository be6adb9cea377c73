-- User-defined collations. to_jsonb keeps the query valid across versions
-- whose pg_collation columns differ (colliculocale in 15-16, colllocale in 17+).
SELECT n.nspname, co.collname, co.collprovider::text, co.collisdeterministic,
       j->>'collcollate', j->>'collctype', COALESCE(j->>'colllocale', j->>'colliculocale'),
       d.description
FROM pg_catalog.pg_collation co
JOIN pg_catalog.pg_namespace n ON n.oid = co.collnamespace
CROSS JOIN LATERAL pg_catalog.to_jsonb(co) j
LEFT JOIN pg_catalog.pg_description d
  ON d.objoid = co.oid AND d.classoid = 'pg_catalog.pg_collation'::pg_catalog.regclass AND d.objsubid = 0
WHERE {{user_schema n}}
  AND {{not_extension_member pg_collation co.oid}}
