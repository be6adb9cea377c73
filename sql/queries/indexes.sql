-- Indexes not backing a primary key, unique or exclusion constraint (the
-- constraint stands for those). inherited: attached to a partitioned index,
-- the parent_* columns name that index.
SELECT n.nspname, c.relname, ic.relname,
  pg_catalog.pg_get_indexdef(i.indexrelid) AS definition,
  ic.relispartition AS inherited, d.description,
  pn.nspname AS parent_schema, pt.relname AS parent_table, pic.relname AS parent_name
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_inherits ih ON ih.inhrelid = i.indexrelid
LEFT JOIN pg_catalog.pg_class pic ON pic.oid = ih.inhparent
LEFT JOIN pg_catalog.pg_index pi ON pi.indexrelid = ih.inhparent
LEFT JOIN pg_catalog.pg_class pt ON pt.oid = pi.indrelid
LEFT JOIN pg_catalog.pg_namespace pn ON pn.oid = pt.relnamespace
LEFT JOIN pg_catalog.pg_description d
  ON d.objoid = ic.oid AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objsubid = 0
WHERE c.relkind IN ('r', 'p', 'm')
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k
                  WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x'))
  AND n.nspname <> ALL ('{pg_catalog,information_schema,pg_toast,driftwatch}')
  AND n.nspname !~ '^pg_(toast_)?temp_'
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e
                  WHERE e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                    AND e.objid = c.oid AND e.deptype = 'e')
  AND ($1::text[] IS NULL OR (n.nspname::text, c.relname::text) IN (SELECT * FROM unnest($1::text[], $2::text[])))
