-- Deparses the predicates of the given partial indexes ($1: index oids),
-- one per distinct predicate (see checker/predicate.go).
SELECT i.indexrelid, pg_catalog.pg_get_expr(i.indpred, i.indrelid)
FROM pg_catalog.pg_index i
WHERE i.indexrelid = ANY ($1::pg_catalog.oid[]) AND i.indpred IS NOT NULL
