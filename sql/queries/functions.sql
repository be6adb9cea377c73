-- Functions, procedures and aggregates. $1, $2: optional (schema, name) scope.
SELECT p.oid, n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid),
  p.prokind::text, pg_catalog.pg_get_function_result(p.oid),
  CASE WHEN p.prokind = 'a' THEN
    (SELECT 'CREATE AGGREGATE ' || pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(p.proname)
       || '(' || CASE WHEN p.pronargs = 0 THEN '*' ELSE pg_catalog.pg_get_function_identity_arguments(p.oid) END || ') ('
       || 'SFUNC = ' || a.aggtransfn::pg_catalog.regproc::text
       || ', STYPE = ' || pg_catalog.format_type(a.aggtranstype, NULL)
       || CASE WHEN a.aggtransspace <> 0 THEN ', SSPACE = ' || a.aggtransspace ELSE '' END
       || CASE WHEN a.aggfinalfn <> 0 THEN ', FINALFUNC = ' || a.aggfinalfn::pg_catalog.regproc::text ELSE '' END
       || CASE WHEN a.aggfinalextra THEN ', FINALFUNC_EXTRA' ELSE '' END
       || CASE WHEN a.aggcombinefn <> 0 THEN ', COMBINEFUNC = ' || a.aggcombinefn::pg_catalog.regproc::text ELSE '' END
       || CASE WHEN a.aggserialfn <> 0 THEN ', SERIALFUNC = ' || a.aggserialfn::pg_catalog.regproc::text ELSE '' END
       || CASE WHEN a.aggdeserialfn <> 0 THEN ', DESERIALFUNC = ' || a.aggdeserialfn::pg_catalog.regproc::text ELSE '' END
       || CASE WHEN a.agginitval IS NOT NULL THEN ', INITCOND = ' || pg_catalog.quote_literal(a.agginitval) ELSE '' END
       || CASE WHEN a.aggmtransfn <> 0 THEN ', MSFUNC = ' || a.aggmtransfn::pg_catalog.regproc::text
               || ', MINVFUNC = ' || a.aggminvtransfn::pg_catalog.regproc::text
               || ', MSTYPE = ' || pg_catalog.format_type(a.aggmtranstype, NULL) ELSE '' END
       || CASE WHEN a.aggmfinalfn <> 0 THEN ', MFINALFUNC = ' || a.aggmfinalfn::pg_catalog.regproc::text ELSE '' END
       || CASE WHEN a.aggminitval IS NOT NULL THEN ', MINITCOND = ' || pg_catalog.quote_literal(a.aggminitval) ELSE '' END
       || CASE WHEN a.aggsortop <> 0 THEN ', SORTOP = ' || a.aggsortop::pg_catalog.regoperator::text ELSE '' END
       || CASE WHEN p.proparallel <> 'u' THEN ', PARALLEL = ' || CASE p.proparallel WHEN 's' THEN 'SAFE' ELSE 'RESTRICTED' END ELSE '' END
       || CASE WHEN a.aggkind = 'h' THEN ', HYPOTHETICAL' ELSE '' END
       || ');'
     FROM pg_catalog.pg_aggregate a WHERE a.aggfnoid = p.oid)
  ELSE pg_catalog.pg_get_functiondef(p.oid) END AS definition,
  d.description, p.proacl::text[], pg_catalog.pg_get_userbyid(p.proowner)::text
FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
LEFT JOIN pg_catalog.pg_description d
  ON d.objoid = p.oid AND d.classoid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.objsubid = 0
WHERE {{user_schema n}}
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e
                  WHERE e.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass
                    AND e.objid = p.oid AND e.deptype IN ('e', 'i'))
  AND ($1::text[] IS NULL OR (n.nspname::text, p.proname::text) IN (SELECT * FROM unnest($1::text[], $2::text[])))
  -- by name too, so a scoped read starts from the name index, not a scan
  AND ($2::text[] IS NULL OR p.proname = ANY ($2::pg_catalog.name[]))
