-- User-defined operators: the function (schema, name and identity
-- arguments: its key, and what CREATE OPERATOR names), the commutator
-- and negator as OPERATOR() takes them, schema-qualified, and the
-- estimators (with an empty search_path, regproc prints pg_catalog's bare
-- and others qualified, the same way on every database).
SELECT n.nspname, o.oprname,
  CASE WHEN o.oprleft = 0 THEN 'NONE' ELSE pg_catalog.format_type(o.oprleft, NULL) END,
  CASE WHEN o.oprright = 0 THEN 'NONE' ELSE pg_catalog.format_type(o.oprright, NULL) END,
  fn.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid),
  (SELECT pg_catalog.quote_ident(cn.nspname) || '.' || c.oprname FROM pg_catalog.pg_operator c
   JOIN pg_catalog.pg_namespace cn ON cn.oid = c.oprnamespace WHERE c.oid = o.oprcom),
  (SELECT pg_catalog.quote_ident(gn.nspname) || '.' || g.oprname FROM pg_catalog.pg_operator g
   JOIN pg_catalog.pg_namespace gn ON gn.oid = g.oprnamespace WHERE g.oid = o.oprnegate),
  CASE WHEN o.oprrest <> 0 THEN o.oprrest::pg_catalog.regproc::text END,
  CASE WHEN o.oprjoin <> 0 THEN o.oprjoin::pg_catalog.regproc::text END,
  o.oprcanhash, o.oprcanmerge,
  d.description
FROM pg_catalog.pg_operator o
JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace
JOIN pg_catalog.pg_proc p ON p.oid = o.oprcode
JOIN pg_catalog.pg_namespace fn ON fn.oid = p.pronamespace
LEFT JOIN pg_catalog.pg_description d
  ON d.objoid = o.oid AND d.classoid = 'pg_catalog.pg_operator'::pg_catalog.regclass AND d.objsubid = 0
WHERE {{user_schema n}}
  AND {{not_extension_member pg_operator o.oid}}
  -- not a shell (an operator named as a commutator or negator and never
  -- defined): pg_dump leaves shells out, and the operator naming it
  -- makes it again
  AND o.oprcode <> 0
