-- Foreign servers, except an extension's: wrapper, type, version and
-- options (as in foreign_data_wrappers.sql). User mappings are not read:
-- their options hold passwords.
SELECT s.srvname, w.fdwname, s.srvtype, s.srvversion,
  {{options s.srvoptions}} AS options,
  {{option_names s.srvoptions}} AS option_names,
  d.description
FROM pg_catalog.pg_foreign_server s
JOIN pg_catalog.pg_foreign_data_wrapper w ON w.oid = s.srvfdw
LEFT JOIN pg_catalog.pg_description d
  ON d.objoid = s.oid AND d.classoid = 'pg_catalog.pg_foreign_server'::pg_catalog.regclass AND d.objsubid = 0
WHERE {{not_extension_member pg_foreign_server s.oid}}
