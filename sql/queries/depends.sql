-- Dependencies between user objects that decide creation order: views on
-- relations and functions, functions on types and relations, types on
-- types. A view's rewrite rule stands for the view.
SELECT DISTINCT
  CASE WHEN d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass THEN 'pg_class'
       ELSE d.classid::pg_catalog.regclass::text END AS class,
  CASE WHEN d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass
       THEN (SELECT r.ev_class FROM pg_catalog.pg_rewrite r WHERE r.oid = d.objid)
       ELSE d.objid END AS objid,
  d.refclassid::pg_catalog.regclass::text AS refclass, d.refobjid
FROM pg_catalog.pg_depend d
WHERE d.deptype = 'n'
  AND d.refobjid >= 16384
  AND d.classid IN ('pg_catalog.pg_rewrite'::pg_catalog.regclass, 'pg_catalog.pg_proc'::pg_catalog.regclass,
                    'pg_catalog.pg_type'::pg_catalog.regclass, 'pg_catalog.pg_class'::pg_catalog.regclass)
  AND d.refclassid IN ('pg_catalog.pg_class'::pg_catalog.regclass, 'pg_catalog.pg_proc'::pg_catalog.regclass,
                       'pg_catalog.pg_type'::pg_catalog.regclass)
