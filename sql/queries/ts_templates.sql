-- Text search templates: their functions as CREATE TEXT SEARCH TEMPLATE
-- takes them (see ts_parsers.sql), and whether a dictionary uses one.
SELECT n.nspname, t.tmplname,
  CASE WHEN t.tmplinit <> 0 THEN 'INIT = ' || t.tmplinit::pg_catalog.regproc::text || ', ' ELSE '' END ||
  'LEXIZE = ' || t.tmpllexize::pg_catalog.regproc::text,
  EXISTS (SELECT FROM pg_catalog.pg_ts_dict d WHERE d.dicttemplate = t.oid),
  ds.description
FROM pg_catalog.pg_ts_template t
JOIN pg_catalog.pg_namespace n ON n.oid = t.tmplnamespace
LEFT JOIN pg_catalog.pg_description ds
  ON ds.objoid = t.oid AND ds.classoid = 'pg_catalog.pg_ts_template'::pg_catalog.regclass AND ds.objsubid = 0
WHERE {{user_schema n}}
  AND {{not_extension_member pg_ts_template t.oid}}
