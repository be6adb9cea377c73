-- Operator families: the access method, and the members that no operator
-- class holds (added by ALTER OPERATOR FAMILY, or cross-type members that
-- the access method leaves loose in the family), each as ALTER OPERATOR
-- FAMILY ... ADD writes it, the way pg_dump tells them apart (by what the
-- member's pg_depend row references). With an empty search_path,
-- regoperator and regprocedure print pg_catalog's bare and others
-- qualified, the same way on every database. users: the user functions
-- and operators the members name, as object keys, to order by.
SELECT n.nspname, f.opfname, am.amname,
  ARRAY(
    SELECT m.line FROM (
      SELECT 'OPERATOR ' || o.amopstrategy || ' ' || o.amopopr::pg_catalog.regoperator::text ||
             CASE WHEN o.amoppurpose = 'o' THEN ' FOR ORDER BY ' || pg_catalog.quote_ident(sn.nspname) || '.' ||
                  pg_catalog.quote_ident(sf.opfname) ELSE '' END AS line
      FROM pg_catalog.pg_amop o
      LEFT JOIN pg_catalog.pg_opfamily sf ON sf.oid = o.amopsortfamily
      LEFT JOIN pg_catalog.pg_namespace sn ON sn.oid = sf.opfnamespace
      WHERE o.amopfamily = f.oid
        AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
          WHERE d.classid = 'pg_catalog.pg_amop'::pg_catalog.regclass AND d.objid = o.oid
            AND d.refclassid = 'pg_catalog.pg_opclass'::pg_catalog.regclass)
      UNION ALL
      SELECT 'FUNCTION ' || p.amprocnum || ' (' || pg_catalog.format_type(p.amproclefttype, NULL) || ', ' ||
             pg_catalog.format_type(p.amprocrighttype, NULL) || ') ' || p.amproc::pg_catalog.regprocedure::text
      FROM pg_catalog.pg_amproc p
      WHERE p.amprocfamily = f.oid
        AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
          WHERE d.classid = 'pg_catalog.pg_amproc'::pg_catalog.regclass AND d.objid = p.oid
            AND d.refclassid = 'pg_catalog.pg_opclass'::pg_catalog.regclass)
    ) m ORDER BY m.line COLLATE "C"),
  {{opfamily_uses f.oid}},
  d.description
FROM pg_catalog.pg_opfamily f
JOIN pg_catalog.pg_namespace n ON n.oid = f.opfnamespace
JOIN pg_catalog.pg_am am ON am.oid = f.opfmethod
LEFT JOIN pg_catalog.pg_description d
  ON d.objoid = f.oid AND d.classoid = 'pg_catalog.pg_opfamily'::pg_catalog.regclass AND d.objsubid = 0
WHERE {{user_schema n}}
  AND {{not_extension_member pg_opfamily f.oid}}
