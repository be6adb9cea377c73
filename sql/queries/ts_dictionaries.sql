-- Text search dictionaries: the template, schema-qualified as quote_ident
-- prints it, and the options as PostgreSQL stores them ("name = 'value',
-- ..."; the caller puts them in name order).
SELECT n.nspname, d.dictname,
  pg_catalog.quote_ident(tn.nspname) || '.' || pg_catalog.quote_ident(t.tmplname),
  d.dictinitoption,
  ds.description
FROM pg_catalog.pg_ts_dict d
JOIN pg_catalog.pg_namespace n ON n.oid = d.dictnamespace
JOIN pg_catalog.pg_ts_template t ON t.oid = d.dicttemplate
JOIN pg_catalog.pg_namespace tn ON tn.oid = t.tmplnamespace
LEFT JOIN pg_catalog.pg_description ds
  ON ds.objoid = d.oid AND ds.classoid = 'pg_catalog.pg_ts_dict'::pg_catalog.regclass AND ds.objsubid = 0
WHERE {{user_schema n}}
  AND {{not_extension_member pg_ts_dict d.oid}}
