-- Foreign-data wrappers, except an extension's (postgres_fdw's own):
-- handler, validator and options. Options come twice: as OPTIONS takes
-- them (name 'value', ... in name order), compared; and their quoted
-- names alone, \x1f between them, for a fix that drops them.
SELECT w.fdwname,
  CASE WHEN w.fdwhandler <> 0 THEN w.fdwhandler::pg_catalog.regproc::text END,
  CASE WHEN w.fdwvalidator <> 0 THEN w.fdwvalidator::pg_catalog.regproc::text END,
  {{options w.fdwoptions}} AS options,
  {{option_names w.fdwoptions}} AS option_names,
  d.description
FROM pg_catalog.pg_foreign_data_wrapper w
LEFT JOIN pg_catalog.pg_description d
  ON d.objoid = w.oid AND d.classoid = 'pg_catalog.pg_foreign_data_wrapper'::pg_catalog.regclass AND d.objsubid = 0
WHERE {{not_extension_member pg_foreign_data_wrapper w.oid}}
