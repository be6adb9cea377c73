-- User-defined casts: not built in (oid below 16384), not an extension's,
-- and not made by PostgreSQL along with another object (the casts between
-- a range type and its multirange depend on it internally).
SELECT pg_catalog.format_type(c.castsource, NULL), pg_catalog.format_type(c.casttarget, NULL),
  c.castmethod::text, CASE WHEN c.castfunc <> 0 THEN c.castfunc::pg_catalog.regprocedure::text END,
  c.castcontext::text, d.description
FROM pg_catalog.pg_cast c
LEFT JOIN pg_catalog.pg_description d
  ON d.objoid = c.oid AND d.classoid = 'pg_catalog.pg_cast'::pg_catalog.regclass AND d.objsubid = 0
WHERE c.oid >= 16384
  AND {{not_extension_member pg_cast c.oid}}
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend i
                  WHERE i.classid = 'pg_catalog.pg_cast'::pg_catalog.regclass AND i.objid = c.oid AND i.deptype = 'i')
