-- Table constraints (primary key, unique, check, foreign key, exclusion).
-- Constraint triggers are reported as triggers; NOT NULL is a column attribute.
-- parent_*: the constraint of the partitioned table this one was cloned from.
-- ref_*: for a foreign key, the key constraint (or unique index) it uses.
--
-- Keys and foreign keys are put together from pg_constraint's fields, as
-- pg_get_constraintdef prints them, without its cost on a cold connection;
-- checks, exclusions and unusual keys (index options or tablespace, SET
-- NULL column lists, temporal keys) still go through pg_get_constraintdef.
-- /*vNN*/a/*else*/b/*end*/ picks a on PostgreSQL NN and later, else b.
SELECT n.nspname, c.relname, co.conname, co.contype::text,
  CASE
    WHEN co.contype IN ('p', 'u') AND ki.reloptions IS NULL AND ki.reltablespace = 0
         AND NOT /*v18*/co.conperiod/*else*/false/*end*/ THEN
      CASE co.contype WHEN 'p' THEN 'PRIMARY KEY ('
        ELSE 'UNIQUE ' || CASE WHEN /*v15*/kx.indnullsnotdistinct/*else*/false/*end*/ THEN 'NULLS NOT DISTINCT ' ELSE '' END || '(' END
      || (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), ', ' ORDER BY k.n)
         FROM pg_catalog.unnest(co.conkey) WITH ORDINALITY AS k(attnum, n)
         JOIN pg_catalog.pg_attribute a ON a.attrelid = co.conrelid AND a.attnum = k.attnum) || ')'
      || CASE WHEN kx.indnatts > kx.indnkeyatts THEN ' INCLUDE ('
           || (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), ', ' ORDER BY k.i)
               FROM pg_catalog.generate_series(kx.indnkeyatts, kx.indnatts - 1) AS k(i)
               JOIN pg_catalog.pg_attribute a ON a.attrelid = kx.indrelid AND a.attnum = kx.indkey[k.i]) || ')'
         ELSE '' END
      || CASE WHEN co.condeferrable THEN ' DEFERRABLE' ELSE '' END
      || CASE WHEN co.condeferred THEN ' INITIALLY DEFERRED' ELSE '' END
      || CASE WHEN NOT co.convalidated THEN ' NOT VALID' ELSE '' END
    WHEN co.contype = 'f' AND /*v15*/co.confdelsetcols IS NULL/*else*/true/*end*/
         AND NOT /*v18*/co.conperiod/*else*/false/*end*/ THEN
      'FOREIGN KEY (' || (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), ', ' ORDER BY k.n)
         FROM pg_catalog.unnest(co.conkey) WITH ORDINALITY AS k(attnum, n)
         JOIN pg_catalog.pg_attribute a ON a.attrelid = co.conrelid AND a.attnum = k.attnum) || ') REFERENCES '
      || pg_catalog.quote_ident(rn.nspname) || '.' || pg_catalog.quote_ident(rc.relname)
      || '(' || (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), ', ' ORDER BY k.n)
         FROM pg_catalog.unnest(co.confkey) WITH ORDINALITY AS k(attnum, n)
         JOIN pg_catalog.pg_attribute a ON a.attrelid = co.confrelid AND a.attnum = k.attnum) || ')'
      || CASE co.confmatchtype WHEN 'f' THEN ' MATCH FULL' WHEN 'p' THEN ' MATCH PARTIAL' ELSE '' END
      || CASE co.confupdtype WHEN 'r' THEN ' ON UPDATE RESTRICT' WHEN 'c' THEN ' ON UPDATE CASCADE'
                 WHEN 'n' THEN ' ON UPDATE SET NULL' WHEN 'd' THEN ' ON UPDATE SET DEFAULT' ELSE '' END
      || CASE co.confdeltype WHEN 'r' THEN ' ON DELETE RESTRICT' WHEN 'c' THEN ' ON DELETE CASCADE'
                 WHEN 'n' THEN ' ON DELETE SET NULL' WHEN 'd' THEN ' ON DELETE SET DEFAULT' ELSE '' END
      || CASE WHEN co.condeferrable THEN ' DEFERRABLE' ELSE '' END
      || CASE WHEN co.condeferred THEN ' INITIALLY DEFERRED' ELSE '' END
      || CASE WHEN NOT co.convalidated THEN ' NOT VALID' ELSE '' END
    ELSE pg_catalog.pg_get_constraintdef(co.oid)
  END AS definition,
  NOT co.conislocal AS inherited, co.confrelid,
  d.description, pn.nspname AS parent_schema, pc.relname AS parent_table, pco.conname AS parent_name,
  CASE WHEN co.contype = 'f' THEN rn.nspname END AS ref_schema,
  CASE WHEN co.contype = 'f' THEN rc.relname END AS ref_table,
  CASE WHEN co.contype = 'f' THEN
    COALESCE((SELECT k.conname FROM pg_catalog.pg_constraint k
              WHERE k.conindid = co.conindid AND k.conrelid = co.confrelid AND k.contype IN ('p', 'u', 'x')),
             ri.relname) END AS ref_key,
  CASE WHEN co.contype = 'f' THEN NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k
              WHERE k.conindid = co.conindid AND k.conrelid = co.confrelid AND k.contype IN ('p', 'u', 'x')) END AS ref_is_index
FROM pg_catalog.pg_constraint co
JOIN pg_catalog.pg_class c ON c.oid = co.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_constraint pco ON pco.oid = co.conparentid
LEFT JOIN pg_catalog.pg_class pc ON pc.oid = pco.conrelid
LEFT JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
LEFT JOIN pg_catalog.pg_class rc ON rc.oid = co.confrelid
LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
LEFT JOIN pg_catalog.pg_class ri ON ri.oid = co.conindid
LEFT JOIN pg_catalog.pg_class ki ON ki.oid = co.conindid AND co.contype IN ('p', 'u')
LEFT JOIN pg_catalog.pg_index kx ON kx.indexrelid = co.conindid AND co.contype IN ('p', 'u')
LEFT JOIN pg_catalog.pg_description d
  ON d.objoid = co.oid AND d.classoid = 'pg_catalog.pg_constraint'::pg_catalog.regclass AND d.objsubid = 0
WHERE co.contype IN ('p', 'u', 'c', 'f', 'x')
  AND n.nspname <> ALL ('{pg_catalog,information_schema,pg_toast,driftwatch}')
  AND n.nspname !~ '^pg_(toast_)?temp_'
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e
                  WHERE e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                    AND e.objid = c.oid AND e.deptype = 'e')
  AND ($1::text[] IS NULL OR (n.nspname::text, c.relname::text) IN (SELECT * FROM unnest($1::text[], $2::text[])))
