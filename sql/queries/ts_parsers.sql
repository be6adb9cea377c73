-- Text search parsers: their functions as CREATE TEXT SEARCH PARSER takes
-- them (with an empty search_path, regproc prints pg_catalog's bare and
-- others qualified, the same way on every database), and whether a
-- configuration uses one.
SELECT n.nspname, p.prsname,
  'START = ' || p.prsstart::pg_catalog.regproc::text || ', GETTOKEN = ' || p.prstoken::pg_catalog.regproc::text ||
  ', END = ' || p.prsend::pg_catalog.regproc::text || ', LEXTYPES = ' || p.prslextype::pg_catalog.regproc::text ||
  CASE WHEN p.prsheadline <> 0 THEN ', HEADLINE = ' || p.prsheadline::pg_catalog.regproc::text ELSE '' END,
  EXISTS (SELECT FROM pg_catalog.pg_ts_config c WHERE c.cfgparser = p.oid),
  d.description
FROM pg_catalog.pg_ts_parser p
JOIN pg_catalog.pg_namespace n ON n.oid = p.prsnamespace
LEFT JOIN pg_catalog.pg_description d
  ON d.objoid = p.oid AND d.classoid = 'pg_catalog.pg_ts_parser'::pg_catalog.regclass AND d.objsubid = 0
WHERE {{user_schema n}}
  AND {{not_extension_member pg_ts_parser p.oid}}
