-- depends.sql for a scoped read: the same edges, but only from the objects
-- in scope ($1: their pg_class, pg_proc and pg_type oids), so a re-check
-- of one table does not read all of pg_depend. Every branch starts from an
-- index: pg_depend's depender index, pg_rewrite by ev_class, and the parts
-- of a table by their table column.
SELECT DISTINCT class, objid, refclass, refobjid FROM (
  SELECT d.classid::pg_catalog.regclass::text AS class, d.objid,
         d.refclassid::pg_catalog.regclass::text AS refclass, d.refobjid
  FROM pg_catalog.pg_depend d
  WHERE d.classid IN ('pg_catalog.pg_proc'::pg_catalog.regclass, 'pg_catalog.pg_type'::pg_catalog.regclass,
                      'pg_catalog.pg_class'::pg_catalog.regclass)
    AND d.objid = ANY ($1::pg_catalog.oid[])
    AND d.deptype = 'n' AND d.refobjid >= 16384
    AND d.refclassid IN ('pg_catalog.pg_class'::pg_catalog.regclass, 'pg_catalog.pg_proc'::pg_catalog.regclass,
                         'pg_catalog.pg_type'::pg_catalog.regclass)
  UNION ALL
  SELECT 'pg_class', r.ev_class, d.refclassid::pg_catalog.regclass::text, d.refobjid
  FROM pg_catalog.pg_rewrite r
  JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND d.objid = r.oid
  WHERE r.ev_class = ANY ($1::pg_catalog.oid[])
    AND d.deptype = 'n' AND d.refobjid >= 16384
    AND d.refclassid IN ('pg_catalog.pg_class'::pg_catalog.regclass, 'pg_catalog.pg_proc'::pg_catalog.regclass,
                         'pg_catalog.pg_type'::pg_catalog.regclass)
  UNION ALL
  SELECT 'pg_class', p.rel, 'pg_proc', d.refobjid
  FROM (SELECT 'pg_catalog.pg_trigger'::pg_catalog.regclass AS classid, tg.oid, tg.tgrelid AS rel
          FROM pg_catalog.pg_trigger tg WHERE tg.tgrelid = ANY ($1::pg_catalog.oid[])
        UNION ALL
        SELECT 'pg_catalog.pg_attrdef'::pg_catalog.regclass, ad.oid, ad.adrelid
          FROM pg_catalog.pg_attrdef ad WHERE ad.adrelid = ANY ($1::pg_catalog.oid[])
        UNION ALL
        SELECT 'pg_catalog.pg_policy'::pg_catalog.regclass, pol.oid, pol.polrelid
          FROM pg_catalog.pg_policy pol WHERE pol.polrelid = ANY ($1::pg_catalog.oid[])
        UNION ALL
        SELECT 'pg_catalog.pg_class'::pg_catalog.regclass, ix.indexrelid, ix.indrelid
          FROM pg_catalog.pg_index ix WHERE ix.indrelid = ANY ($1::pg_catalog.oid[])
        UNION ALL
        SELECT 'pg_catalog.pg_constraint'::pg_catalog.regclass, co.oid, co.conrelid
          FROM pg_catalog.pg_constraint co WHERE co.conrelid = ANY ($1::pg_catalog.oid[]) AND co.contype <> 'f') p
  JOIN pg_catalog.pg_depend d ON d.classid = p.classid AND d.objid = p.oid
  WHERE d.deptype = 'n' AND d.refobjid >= 16384 AND d.refclassid = 'pg_catalog.pg_proc'::pg_catalog.regclass
) deps
WHERE objid IS NOT NULL
