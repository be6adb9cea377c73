-- Renders each distinct (type oid, typmod) pair once.
SELECT t.oid, t.mod, pg_catalog.format_type(t.oid, t.mod)
FROM unnest($1::oid[], $2::int4[]) AS t(oid, mod)
