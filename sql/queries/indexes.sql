-- Indexes not backing a primary key, unique or exclusion constraint (the
-- constraint stands for those). inherited: attached to a partitioned index,
-- the parent_* columns name that index.
--
-- The definition is put together from pg_index's fields where it can be:
-- pg_get_indexdef opens every index (a relcache build each on a fresh
-- connection), the largest cost of a full read. Indexes with expression
-- columns or opclass options still go through pg_get_indexdef. Both sides
-- of a comparison are rendered the same way, so equal indexes read equal.
-- /*vNN*/a/*else*/b/*end*/ picks a on PostgreSQL NN and later, else b.
SELECT n.nspname, c.relname, ic.relname,
  CASE WHEN i.indexprs IS NOT NULL
         OR EXISTS (SELECT 1 FROM pg_catalog.pg_attribute oa WHERE oa.attrelid = i.indexrelid AND oa.attoptions IS NOT NULL)
    THEN pg_catalog.pg_get_indexdef(i.indexrelid)
    ELSE 'CREATE ' || CASE WHEN i.indisunique THEN 'UNIQUE ' ELSE '' END || 'INDEX '
      || pg_catalog.quote_ident(ic.relname) || ' ON ' || CASE WHEN c.relkind = 'p' THEN 'ONLY ' ELSE '' END
      || pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname)
      || ' USING ' || pg_catalog.quote_ident(am.amname) || ' ('
      || (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname)
            || CASE WHEN i.indcollation[k.i] <> 0 AND i.indcollation[k.i] <> a.attcollation THEN ' COLLATE '
                 || (SELECT CASE WHEN cn.nspname = 'pg_catalog' THEN pg_catalog.quote_ident(co.collname)
                                 ELSE pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname) END
                     FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
                     WHERE co.oid = i.indcollation[k.i])
               ELSE '' END
            || CASE WHEN NOT opc.opcdefault THEN ' ' || CASE WHEN ocn.nspname = 'pg_catalog' THEN pg_catalog.quote_ident(opc.opcname)
                 ELSE pg_catalog.quote_ident(ocn.nspname) || '.' || pg_catalog.quote_ident(opc.opcname) END ELSE '' END
            || CASE WHEN i.indoption[k.i] & 1 = 1 THEN ' DESC' || CASE WHEN i.indoption[k.i] & 2 = 0 THEN ' NULLS LAST' ELSE '' END
                    WHEN i.indoption[k.i] & 2 = 2 THEN ' NULLS FIRST' ELSE '' END,
            ', ' ORDER BY k.i)
          FROM pg_catalog.generate_series(0, i.indnkeyatts - 1) AS k(i)
          JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k.i]
          JOIN pg_catalog.pg_opclass opc ON opc.oid = i.indclass[k.i]
          JOIN pg_catalog.pg_namespace ocn ON ocn.oid = opc.opcnamespace)
      || ')'
      || CASE WHEN i.indnatts > i.indnkeyatts THEN ' INCLUDE ('
           || (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), ', ' ORDER BY k.i)
               FROM pg_catalog.generate_series(i.indnkeyatts, i.indnatts - 1) AS k(i)
               JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k.i]) || ')'
         ELSE '' END
      || CASE WHEN /*v15*/i.indnullsnotdistinct/*else*/false/*end*/ THEN ' NULLS NOT DISTINCT' ELSE '' END
      || CASE WHEN ic.reloptions IS NOT NULL THEN ' WITH ('
           || (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(pg_catalog.split_part(o.opt, '=', 1)) || '='
                 || CASE WHEN pg_catalog.quote_ident(pg_catalog.substr(o.opt, pg_catalog.strpos(o.opt, '=') + 1))
                              = pg_catalog.substr(o.opt, pg_catalog.strpos(o.opt, '=') + 1)
                         THEN pg_catalog.substr(o.opt, pg_catalog.strpos(o.opt, '=') + 1)
                         ELSE pg_catalog.quote_literal(pg_catalog.substr(o.opt, pg_catalog.strpos(o.opt, '=') + 1)) END,
                 ', ' ORDER BY o.n)
               FROM pg_catalog.unnest(ic.reloptions) WITH ORDINALITY AS o(opt, n)) || ')'
         ELSE '' END
      || CASE WHEN i.indpred IS NOT NULL THEN ' WHERE ' || pg_catalog.pg_get_expr(i.indpred, i.indrelid) ELSE '' END
  END AS definition,
  ic.relispartition AS inherited, d.description,
  pn.nspname AS parent_schema, pt.relname AS parent_table, pic.relname AS parent_name
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_am am ON am.oid = ic.relam
JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_inherits ih ON ih.inhrelid = i.indexrelid
LEFT JOIN pg_catalog.pg_class pic ON pic.oid = ih.inhparent
LEFT JOIN pg_catalog.pg_index pi ON pi.indexrelid = ih.inhparent
LEFT JOIN pg_catalog.pg_class pt ON pt.oid = pi.indrelid
LEFT JOIN pg_catalog.pg_namespace pn ON pn.oid = pt.relnamespace
LEFT JOIN pg_catalog.pg_description d
  ON d.objoid = ic.oid AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objsubid = 0
WHERE c.relkind IN ('r', 'p', 'm')
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k
                  WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x'))
  AND n.nspname <> ALL ('{pg_catalog,information_schema,pg_toast,driftwatch}')
  AND n.nspname !~ '^pg_(toast_)?temp_'
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e
                  WHERE e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                    AND e.objid = c.oid AND e.deptype = 'e')
  AND ($1::text[] IS NULL OR (n.nspname::text, c.relname::text) IN (SELECT * FROM unnest($1::text[], $2::text[])))
