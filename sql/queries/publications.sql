-- Publications: FOR ALL TABLES, the operations published, whether
-- partitions publish as their root, the tables (each with its column list
-- and row filter, PostgreSQL 15 and later) and the schemas (FOR TABLES IN
-- SCHEMA, 15 and later). The tables come twice more, for fixes: as
-- ADD TABLE takes them (ONLY, so a parent does not bring its children
-- along), and by name alone, as DROP TABLE takes them; \x1f between them.
-- /*vNN*/a/*else*/b/*end*/: a on PostgreSQL NN+.
SELECT p.pubname, p.puballtables,
  pg_catalog.concat_ws(', ', CASE WHEN p.pubinsert THEN 'insert' END, CASE WHEN p.pubupdate THEN 'update' END,
    CASE WHEN p.pubdelete THEN 'delete' END, CASE WHEN p.pubtruncate THEN 'truncate' END) AS publish,
  p.pubviaroot,
  pg_catalog.string_agg(t.name || t.detail, ', ' ORDER BY t.name) AS tables,
  pg_catalog.string_agg('ONLY ' || t.name || t.detail, E'\x1f' ORDER BY t.name) AS tables_sql,
  pg_catalog.string_agg('ONLY ' || t.name, E'\x1f' ORDER BY t.name) AS table_names,
  /*v15*/(SELECT pg_catalog.string_agg(pg_catalog.quote_ident(n.nspname), ', ' ORDER BY n.nspname) FROM pg_catalog.pg_publication_namespace pn JOIN pg_catalog.pg_namespace n ON n.oid = pn.pnnspid WHERE pn.pnpubid = p.oid)/*else*/NULL::text/*end*/ AS schemas,
  d.description
FROM pg_catalog.pg_publication p
LEFT JOIN LATERAL (
  SELECT pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname) AS name,
    /*v15*/COALESCE((SELECT ' (' || pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), ', ' ORDER BY k.i) || ')' FROM pg_catalog.unnest(r.prattrs::pg_catalog.int2[]) WITH ORDINALITY k(attnum, i) JOIN pg_catalog.pg_attribute a ON a.attrelid = r.prrelid AND a.attnum = k.attnum), '') || COALESCE(' WHERE (' || pg_catalog.pg_get_expr(r.prqual, r.prrelid) || ')', '')/*else*/''/*end*/ AS detail
  FROM pg_catalog.pg_publication_rel r
  JOIN pg_catalog.pg_class c ON c.oid = r.prrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE r.prpubid = p.oid
) t ON true
LEFT JOIN pg_catalog.pg_description d
  ON d.objoid = p.oid AND d.classoid = 'pg_catalog.pg_publication'::pg_catalog.regclass AND d.objsubid = 0
GROUP BY p.oid, p.pubname, p.puballtables, p.pubinsert, p.pubupdate, p.pubdelete, p.pubtruncate, p.pubviaroot, d.description
