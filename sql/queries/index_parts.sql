-- What rendering index and key definitions needs besides pg_index and
-- pg_constraint: the names and collations of the columns they use ($1:
-- table oids, $2: the attnums, pairwise), and the names of the opclasses
-- ($3) and collations ($4) the indexes use, quoted and qualified as
-- pg_get_indexdef prints them with an empty search_path. $3, $4 NULL: all
-- opclasses and collations.
--
-- Each column is looked up in pg_attribute's (attrelid, attnum) index, in
-- that order: joined, the columns (30,000 at 10,000 tables) were matched
-- against a hash of all of pg_attribute (45 MB, 0.6 s).
SELECT 'column' AS what, a.attrelid AS oid, a.attnum, pg_catalog.quote_ident(a.attname) AS name, a.attcollation AS extra, false AS flag
FROM (SELECT * FROM unnest($1::pg_catalog.oid[], $2::pg_catalog.int2[]) AS k(rel, num) ORDER BY 1, 2) k
CROSS JOIN LATERAL (SELECT a.attrelid, a.attnum, a.attname, a.attcollation FROM pg_catalog.pg_attribute a
                    WHERE a.attrelid = k.rel AND a.attnum = k.num OFFSET 0) a
UNION ALL
SELECT 'opclass', oc.oid, 0::int2,
  CASE WHEN n.nspname = 'pg_catalog' THEN pg_catalog.quote_ident(oc.opcname)
       ELSE pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(oc.opcname) END,
  0::oid, oc.opcdefault
FROM pg_catalog.pg_opclass oc JOIN pg_catalog.pg_namespace n ON n.oid = oc.opcnamespace
WHERE ($3::pg_catalog.oid[] IS NULL OR oc.oid = ANY ($3::pg_catalog.oid[]))
UNION ALL
SELECT 'collation', co.oid, 0::int2,
  CASE WHEN n.nspname = 'pg_catalog' THEN pg_catalog.quote_ident(co.collname)
       ELSE pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(co.collname) END,
  0::oid, false
FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace n ON n.oid = co.collnamespace
WHERE ($4::pg_catalog.oid[] IS NULL OR co.oid = ANY ($4::pg_catalog.oid[]))
