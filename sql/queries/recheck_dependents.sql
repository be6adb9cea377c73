-- Objects that depend on the named relations, types and functions, one
-- level deep, as the (schema, name) a scoped inspection takes: a view for
-- its rewrite rule; the table of a constraint, trigger, policy, column
-- default or index; the domain of a domain constraint; a function by name.
-- An incremental re-check adds them to its scope: renaming a column changes
-- how a view or a foreign key on another table prints.
-- $1, $2: parallel arrays of schema and name.
WITH named AS (
  SELECT 'pg_catalog.pg_class'::pg_catalog.regclass AS cls, c.oid
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE (n.nspname::text, c.relname::text) IN (SELECT * FROM unnest($1::text[], $2::text[]))
    AND c.relname = ANY ($2::pg_catalog.name[])
  UNION ALL
  SELECT 'pg_catalog.pg_type'::pg_catalog.regclass, t.oid
  FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
  WHERE (n.nspname::text, t.typname::text) IN (SELECT * FROM unnest($1::text[], $2::text[]))
    AND t.typname = ANY ($2::pg_catalog.name[])
  UNION ALL
  SELECT 'pg_catalog.pg_proc'::pg_catalog.regclass, p.oid
  FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
  WHERE (n.nspname::text, p.proname::text) IN (SELECT * FROM unnest($1::text[], $2::text[]))
    AND p.proname = ANY ($2::pg_catalog.name[])
), dep AS (
  SELECT DISTINCT d.classid, d.objid
  FROM pg_catalog.pg_depend d
  JOIN named ON d.refclassid = named.cls AND d.refobjid = named.oid
  WHERE d.deptype IN ('n', 'a')
), owner AS (
  SELECT
    CASE d.classid
      WHEN 'pg_catalog.pg_rewrite'::pg_catalog.regclass THEN
        (SELECT r.ev_class FROM pg_catalog.pg_rewrite r WHERE r.oid = d.objid)
      WHEN 'pg_catalog.pg_trigger'::pg_catalog.regclass THEN
        (SELECT g.tgrelid FROM pg_catalog.pg_trigger g WHERE g.oid = d.objid)
      WHEN 'pg_catalog.pg_policy'::pg_catalog.regclass THEN
        (SELECT p.polrelid FROM pg_catalog.pg_policy p WHERE p.oid = d.objid)
      WHEN 'pg_catalog.pg_attrdef'::pg_catalog.regclass THEN
        (SELECT a.adrelid FROM pg_catalog.pg_attrdef a WHERE a.oid = d.objid)
      WHEN 'pg_catalog.pg_constraint'::pg_catalog.regclass THEN
        (SELECT NULLIF(k.conrelid, 0) FROM pg_catalog.pg_constraint k WHERE k.oid = d.objid)
      WHEN 'pg_catalog.pg_class'::pg_catalog.regclass THEN
        COALESCE((SELECT i.indrelid FROM pg_catalog.pg_index i WHERE i.indexrelid = d.objid), d.objid)
    END AS relid,
    CASE d.classid
      WHEN 'pg_catalog.pg_constraint'::pg_catalog.regclass THEN
        (SELECT NULLIF(k.contypid, 0) FROM pg_catalog.pg_constraint k WHERE k.oid = d.objid)
      WHEN 'pg_catalog.pg_type'::pg_catalog.regclass THEN d.objid
    END AS typid,
    CASE d.classid WHEN 'pg_catalog.pg_proc'::pg_catalog.regclass THEN d.objid END AS procid
  FROM dep d
)
SELECT n.nspname::text, c.relname::text
FROM owner o
JOIN pg_catalog.pg_class c ON c.oid = o.relid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm', 'S', 'c')
  AND {{user_schema n}}
UNION
SELECT n.nspname::text, t.typname::text
FROM owner o
JOIN pg_catalog.pg_type t ON t.oid = o.typid
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE t.typtype IN ('e', 'd', 'r', 'c')
  AND {{user_schema n}}
UNION
SELECT n.nspname::text, p.proname::text
FROM owner o
JOIN pg_catalog.pg_proc p ON p.oid = o.procid
JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
WHERE {{user_schema n}}
