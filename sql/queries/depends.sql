-- Dependencies between user objects that decide creation order: views on
-- relations and functions, functions on types and relations, types on
-- types, and tables on what their parts use (trigger functions, functions
-- and sequences in defaults, checks, indexes and policies), since a table
-- is created with those parts. A view's rewrite rule stands for the view;
-- a trigger, default, policy, index or table constraint for its table; a
-- domain constraint for its domain. Foreign keys are created separately,
-- after every table, so they add no order between tables.
SELECT DISTINCT
  CASE WHEN co.oid IS NOT NULL AND co.conrelid = 0 THEN 'pg_type'
       WHEN r.oid IS NOT NULL OR tg.oid IS NOT NULL OR ad.oid IS NOT NULL OR pol.oid IS NOT NULL
            OR ix.indexrelid IS NOT NULL OR co.oid IS NOT NULL THEN 'pg_class'
       ELSE d.classid::pg_catalog.regclass::text END AS class,
  COALESCE(r.ev_class, tg.tgrelid, ad.adrelid, pol.polrelid, ix.indrelid,
           NULLIF(co.conrelid, 0), co.contypid, d.objid) AS objid,
  d.refclassid::pg_catalog.regclass::text AS refclass, d.refobjid
FROM pg_catalog.pg_depend d
LEFT JOIN pg_catalog.pg_rewrite r ON d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND r.oid = d.objid
LEFT JOIN pg_catalog.pg_trigger tg ON d.classid = 'pg_catalog.pg_trigger'::pg_catalog.regclass AND tg.oid = d.objid
LEFT JOIN pg_catalog.pg_attrdef ad ON d.classid = 'pg_catalog.pg_attrdef'::pg_catalog.regclass AND ad.oid = d.objid
LEFT JOIN pg_catalog.pg_policy pol ON d.classid = 'pg_catalog.pg_policy'::pg_catalog.regclass AND pol.oid = d.objid
LEFT JOIN pg_catalog.pg_constraint co ON d.classid = 'pg_catalog.pg_constraint'::pg_catalog.regclass AND co.oid = d.objid
LEFT JOIN pg_catalog.pg_index ix ON d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND ix.indexrelid = d.objid
WHERE d.deptype = 'n'
  AND d.refobjid >= 16384
  AND d.classid IN ('pg_catalog.pg_rewrite'::pg_catalog.regclass, 'pg_catalog.pg_proc'::pg_catalog.regclass,
                    'pg_catalog.pg_type'::pg_catalog.regclass, 'pg_catalog.pg_class'::pg_catalog.regclass,
                    'pg_catalog.pg_trigger'::pg_catalog.regclass, 'pg_catalog.pg_attrdef'::pg_catalog.regclass,
                    'pg_catalog.pg_policy'::pg_catalog.regclass, 'pg_catalog.pg_constraint'::pg_catalog.regclass)
  AND d.refclassid IN ('pg_catalog.pg_class'::pg_catalog.regclass, 'pg_catalog.pg_proc'::pg_catalog.regclass,
                       'pg_catalog.pg_type'::pg_catalog.regclass)
  AND (co.oid IS NULL OR co.contype <> 'f')
