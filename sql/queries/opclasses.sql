-- Operator classes: the access method, input type, DEFAULT, family,
-- storage type and the members the class holds, each as CREATE OPERATOR
-- CLASS writes it (members: see opfamilies.sql). users: the indexes, or
-- the constraints of the indexes behind them, that use the class, as
-- "kind\x1fschema\x1ftable\x1fname": a class made anew takes them along.
SELECT n.nspname, c.opcname, am.amname, pg_catalog.format_type(c.opcintype, NULL), c.opcdefault,
  fn.nspname, f.opfname,
  CASE WHEN c.opckeytype <> 0 THEN pg_catalog.format_type(c.opckeytype, NULL) END,
  ARRAY(
    SELECT m.line FROM (
      SELECT {{amop_member o}} AS line
      FROM pg_catalog.pg_depend d
      JOIN pg_catalog.pg_amop o ON o.oid = d.objid
      WHERE d.refclassid = 'pg_catalog.pg_opclass'::pg_catalog.regclass AND d.refobjid = c.oid
        AND d.classid = 'pg_catalog.pg_amop'::pg_catalog.regclass
      UNION ALL
      SELECT {{amproc_member p}}
      FROM pg_catalog.pg_depend d
      JOIN pg_catalog.pg_amproc p ON p.oid = d.objid
      WHERE d.refclassid = 'pg_catalog.pg_opclass'::pg_catalog.regclass AND d.refobjid = c.oid
        AND d.classid = 'pg_catalog.pg_amproc'::pg_catalog.regclass
    ) m ORDER BY m.line COLLATE "C"),
  {{opfamily_uses c.opcfamily}},
  ARRAY(
    SELECT CASE WHEN co.oid IS NULL THEN 'index' ELSE 'constraint' END || E'\x1f' || tn.nspname || E'\x1f' ||
           t.relname || E'\x1f' || COALESCE(co.conname, i.relname)
    FROM pg_catalog.pg_index x
    JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid
    JOIN pg_catalog.pg_class t ON t.oid = x.indrelid
    JOIN pg_catalog.pg_namespace tn ON tn.oid = t.relnamespace
    LEFT JOIN pg_catalog.pg_constraint co
      ON co.conindid = x.indexrelid AND co.conrelid = x.indrelid AND co.contype IN ('p', 'u', 'x')
    WHERE c.oid = ANY (x.indclass::pg_catalog.oid[])
    ORDER BY 1),
  d.description
FROM pg_catalog.pg_opclass c
JOIN pg_catalog.pg_namespace n ON n.oid = c.opcnamespace
JOIN pg_catalog.pg_am am ON am.oid = c.opcmethod
JOIN pg_catalog.pg_opfamily f ON f.oid = c.opcfamily
JOIN pg_catalog.pg_namespace fn ON fn.oid = f.opfnamespace
LEFT JOIN pg_catalog.pg_description d
  ON d.objoid = c.oid AND d.classoid = 'pg_catalog.pg_opclass'::pg_catalog.regclass AND d.objsubid = 0
WHERE {{user_schema n}}
  AND {{not_extension_member pg_opclass c.oid}}
