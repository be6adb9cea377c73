-- Dependencies between user objects that decide creation order: views on
-- relations and functions, functions on types and relations, types on
-- types, tables (their columns) on types, and tables on the functions their
-- parts call (triggers, defaults, checks, indexes, policies), since a table
-- is created with those parts. A view's rewrite rule stands for the view;
-- a table's part for the table; a domain constraint for its domain.
-- Foreign keys are created after every table, so they add no order.
SELECT DISTINCT class, objid, refclass, refobjid FROM (
  -- The catalogs named by a CASE, not regclass output: a name lookup
  -- per row.
  SELECT CASE d.classid WHEN 'pg_catalog.pg_proc'::pg_catalog.regclass THEN 'pg_proc'
                        WHEN 'pg_catalog.pg_type'::pg_catalog.regclass THEN 'pg_type'
                        ELSE 'pg_class' END AS class,
         CASE WHEN d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass
              THEN (SELECT r.ev_class FROM pg_catalog.pg_rewrite r WHERE r.oid = d.objid)
              ELSE d.objid END AS objid,
         CASE d.refclassid WHEN 'pg_catalog.pg_proc'::pg_catalog.regclass THEN 'pg_proc'
                           WHEN 'pg_catalog.pg_type'::pg_catalog.regclass THEN 'pg_type'
                           ELSE 'pg_class' END AS refclass, d.refobjid
  FROM pg_catalog.pg_depend d
  WHERE d.deptype = 'n' AND d.refobjid >= 16384
    AND d.classid IN ('pg_catalog.pg_rewrite'::pg_catalog.regclass, 'pg_catalog.pg_proc'::pg_catalog.regclass,
                      'pg_catalog.pg_type'::pg_catalog.regclass, 'pg_catalog.pg_class'::pg_catalog.regclass)
    AND d.refclassid IN ('pg_catalog.pg_class'::pg_catalog.regclass, 'pg_catalog.pg_proc'::pg_catalog.regclass,
                         'pg_catalog.pg_type'::pg_catalog.regclass)
  UNION ALL
  SELECT CASE WHEN co.contypid <> 0 THEN 'pg_type' ELSE 'pg_class' END,
         COALESCE(tg.tgrelid, ad.adrelid, pol.polrelid, ix.indrelid, NULLIF(co.conrelid, 0), co.contypid),
         'pg_proc', d.refobjid
  FROM pg_catalog.pg_depend d
  LEFT JOIN pg_catalog.pg_trigger tg ON d.classid = 'pg_catalog.pg_trigger'::pg_catalog.regclass AND tg.oid = d.objid
  LEFT JOIN pg_catalog.pg_attrdef ad ON d.classid = 'pg_catalog.pg_attrdef'::pg_catalog.regclass AND ad.oid = d.objid
  LEFT JOIN pg_catalog.pg_policy pol ON d.classid = 'pg_catalog.pg_policy'::pg_catalog.regclass AND pol.oid = d.objid
  LEFT JOIN pg_catalog.pg_index ix ON d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND ix.indexrelid = d.objid
  LEFT JOIN pg_catalog.pg_constraint co ON d.classid = 'pg_catalog.pg_constraint'::pg_catalog.regclass AND co.oid = d.objid
  WHERE d.deptype = 'n' AND d.refobjid >= 16384
    AND d.refclassid = 'pg_catalog.pg_proc'::pg_catalog.regclass
    AND d.classid IN ('pg_catalog.pg_trigger'::pg_catalog.regclass, 'pg_catalog.pg_attrdef'::pg_catalog.regclass,
                      'pg_catalog.pg_policy'::pg_catalog.regclass, 'pg_catalog.pg_class'::pg_catalog.regclass,
                      'pg_catalog.pg_constraint'::pg_catalog.regclass)
    AND (co.oid IS NULL OR co.contype <> 'f')
) deps
WHERE objid IS NOT NULL
