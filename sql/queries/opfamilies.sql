-- Operator families: the access method, and the members that no operator
-- class holds (added by ALTER OPERATOR FAMILY, or cross-type members that
-- the access method leaves loose in the family), told apart the way
-- pg_dump does (by what the member's pg_depend row references). With an
-- empty search_path, regoperator and regprocedure print pg_catalog's bare
-- and others qualified, the same way on every database. The members'
-- user functions and operators, to order by (opfamily_uses).
SELECT n.nspname, f.opfname, am.amname,
  ARRAY(
    SELECT m.line FROM (
      SELECT {{amop_member o}} AS line
      FROM pg_catalog.pg_amop o
      WHERE o.amopfamily = f.oid
        AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
          WHERE d.classid = 'pg_catalog.pg_amop'::pg_catalog.regclass AND d.objid = o.oid
            AND d.refclassid = 'pg_catalog.pg_opclass'::pg_catalog.regclass)
      UNION ALL
      SELECT {{amproc_member p}}
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
