-- Sequences, without identity-column sequences (the column covers them).
SELECT n.nspname, c.relname, pg_catalog.format_type(s.seqtypid, NULL),
  s.seqstart::text, s.seqincrement::text, s.seqmin::text, s.seqmax::text, s.seqcache::text, s.seqcycle,
  (SELECT pg_catalog.quote_ident(tn.nspname) || '.' || pg_catalog.quote_ident(tc.relname) || '.' || pg_catalog.quote_ident(a.attname)
   FROM pg_catalog.pg_depend dp
   JOIN pg_catalog.pg_class tc ON tc.oid = dp.refobjid
   JOIN pg_catalog.pg_namespace tn ON tn.oid = tc.relnamespace
   JOIN pg_catalog.pg_attribute a ON a.attrelid = dp.refobjid AND a.attnum = dp.refobjsubid
   WHERE dp.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND dp.objid = c.oid
     AND dp.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND dp.deptype = 'a') AS owned_by,
  d.description, c.relacl::text[], pg_catalog.pg_get_userbyid(c.relowner)::text
FROM pg_catalog.pg_sequence s
JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_description d
  ON d.objoid = c.oid AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objsubid = 0
WHERE {{user_schema n}}
  AND {{not_extension_member pg_class c.oid}}
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend i
                  WHERE i.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND i.objid = c.oid
                    AND i.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND i.deptype = 'i')
  AND ($1::text[] IS NULL OR (n.nspname::text, c.relname::text) IN (SELECT * FROM unnest($1::text[], $2::text[])))
  -- by name too, so a scoped read starts from the name index, not a scan
  AND ($2::text[] IS NULL OR c.relname = ANY ($2::pg_catalog.name[]))
