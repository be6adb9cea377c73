-- Foreign servers, except an extension's: wrapper, type, version and
-- options (as in foreign_data_wrappers.sql). User mappings are not read:
-- their options hold passwords.
SELECT s.srvname, w.fdwname, s.srvtype, s.srvversion,
  (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(pg_catalog.split_part(o, '=', 1)) || ' ' ||
            pg_catalog.quote_literal(pg_catalog.substr(o, pg_catalog.strpos(o, '=') + 1)), ', ' ORDER BY o)
   FROM pg_catalog.unnest(s.srvoptions) o) AS options,
  (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(pg_catalog.split_part(o, '=', 1)), E'\x1f' ORDER BY o)
   FROM pg_catalog.unnest(s.srvoptions) o) AS option_names,
  d.description
FROM pg_catalog.pg_foreign_server s
JOIN pg_catalog.pg_foreign_data_wrapper w ON w.oid = s.srvfdw
LEFT JOIN pg_catalog.pg_description d
  ON d.objoid = s.oid AND d.classoid = 'pg_catalog.pg_foreign_server'::pg_catalog.regclass AND d.objsubid = 0
WHERE {{not_extension_member pg_foreign_server s.oid}}
