-- The tables of indexes ($1) and extended statistics objects ($2) given by
-- OID, for DDL events that name only the index or statistics object.
SELECT 'index' AS kind, i.indexrelid AS oid, n.nspname::text, c.relname::text
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE i.indexrelid = ANY ($1::oid[])
UNION ALL
SELECT 'statistics', s.oid, n.nspname::text, c.relname::text
FROM pg_catalog.pg_statistic_ext s
JOIN pg_catalog.pg_class c ON c.oid = s.stxrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE s.oid = ANY ($2::oid[])
