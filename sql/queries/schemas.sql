-- Schemas, without system, temporary and driftwatch's own, nor extension members.
SELECT n.nspname, d.description, n.nspacl::text[], pg_catalog.pg_get_userbyid(n.nspowner)::text
FROM pg_catalog.pg_namespace n
LEFT JOIN pg_catalog.pg_description d
  ON d.objoid = n.oid AND d.classoid = 'pg_catalog.pg_namespace'::pg_catalog.regclass AND d.objsubid = 0
WHERE {{user_schema n}}
  AND {{not_extension_member pg_namespace n.oid}}
