-- Columns of tables and foreign tables, a table's together and in attnum
-- order: each row is complete as it arrives (a column's position is its
-- rank among the table's live columns so far), so the caller keeps none.
--
-- Driven from the tables in oid order, each table's columns read from
-- pg_attribute's (attrelid, attnum) index: the rows come nearly in order,
-- and the ORDER BY is an incremental sort of one table at a time, not a
-- sort of every column's wide row (37 MB at 10,000 tables). What only some
-- columns have is looked up for those alone, after the join: a collation
-- where the column has one, a comment where the table has column comments.
SELECT c.nspname, c.relname, a.attname, a.attrelid, pg_catalog.format_type(a.atttypid, a.atttypmod),
  tx.collation,
  a.attnotnull,
  CASE WHEN a.atthasdef THEN c.def_exprs[pg_catalog.array_position(c.def_nums, a.attnum)] END AS default_expr,
  a.attidentity::text, a.attgenerated::text, a.attnum, a.attislocal,
  CASE WHEN c.column_comments THEN
    (SELECT d.description FROM pg_catalog.pg_description d
     WHERE d.objoid = a.attrelid AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objsubid = a.attnum)
  END AS description,
  a.attacl::text[],
  CASE WHEN a.attacl IS NOT NULL THEN pg_catalog.pg_get_userbyid(c.relowner)::text END,
  a.attcollation,
  -- An identity's sequence options: start, increment, min, max, cache,
  -- cycle; then the sequence's name: its schema's length in bytes, the
  -- schema and the name (which may hold spaces).
  CASE WHEN a.attidentity <> '' THEN
    (SELECT pg_catalog.concat_ws(' ', s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle,
       pg_catalog.octet_length(sn.nspname), sn.nspname, sc.relname)
     FROM pg_catalog.pg_depend d
     JOIN pg_catalog.pg_sequence s ON s.seqrelid = d.objid
     JOIN pg_catalog.pg_class sc ON sc.oid = d.objid
     JOIN pg_catalog.pg_namespace sn ON sn.oid = sc.relnamespace
     WHERE d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refobjid = a.attrelid
       AND d.refobjsubid = a.attnum AND d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.deptype = 'i')
  END AS identity_sequence,
  tx.type_extension,
  -- A column's own settings, where it has any: storage other than its
  -- type's (and then the type's, which a fix resets to), statistics
  -- target, compression, planner options (n_distinct, n_distinct_inherited:
  -- the only ones PostgreSQL defines; a server may keep others of its own
  -- there, which pg_dump leaves out), and a foreign table column's options
  -- in name order, as OPTIONS takes them ("name 'value', ...").
  CASE WHEN a.attstorage <> tx.typstorage THEN a.attstorage::text END,
  CASE WHEN a.attstorage <> tx.typstorage THEN tx.typstorage::text END,
  CASE WHEN a.attstattarget >= 0 THEN a.attstattarget::text END,
  /*v14*/NULLIF(a.attcompression::text, '')/*else*/NULL::text/*end*/,
  CASE WHEN a.attoptions IS NOT NULL AND pg_catalog.array_to_string(a.attoptions, ',') LIKE '%n\_distinct%' THEN
    (SELECT pg_catalog.string_agg(o, ', ' ORDER BY o) FROM pg_catalog.unnest(a.attoptions) o WHERE o LIKE 'n\_distinct%=%')
  END,
  CASE WHEN a.attfdwoptions IS NOT NULL THEN
    (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(f.option_name) || ' ' || pg_catalog.quote_literal(f.option_value), ', '
       ORDER BY f.option_name COLLATE "C")
     FROM pg_catalog.pg_options_to_table(a.attfdwoptions) f)
  END
FROM (SELECT c.oid, n.nspname, c.relname, c.relowner, ad.def_nums, ad.def_exprs,
        -- the tables with column comments, hashed once on a full read
        /*full*/c.oid IN (SELECT d.objoid FROM pg_catalog.pg_description d WHERE d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objsubid > 0)/*scoped*/EXISTS (SELECT 1 FROM pg_catalog.pg_description d WHERE d.objoid = c.oid AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objsubid > 0)/*endscope*/
          AS column_comments
      FROM pg_catalog.pg_class c
      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      -- A table's defaults and generation expressions, deparsed, read in
      -- one look at pg_attrdef's index per table (a look per column cost
      -- 40,000 probes at 10,000 tables, ~10% of this query's server CPU).
      -- A default cannot refer to columns, so it is deparsed without its
      -- table (relid 0): that spares opening every table on a cold
      -- connection, and prints the same. An expression that does refer to
      -- columns (a VAR node: a generation expression) is deparsed with it.
      LEFT JOIN LATERAL (
        SELECT pg_catalog.array_agg(ad.adnum) AS def_nums,
          pg_catalog.array_agg(pg_catalog.pg_get_expr(ad.adbin,
            CASE WHEN ad.adbin::pg_catalog.text LIKE '%{VAR %' THEN ad.adrelid ELSE 0 END)) AS def_exprs
        FROM pg_catalog.pg_attrdef ad WHERE ad.adrelid = c.oid) ad ON true
      WHERE c.relkind IN ('r', 'p', 'f')
        AND {{user_schema n}}
        AND {{not_extension_member pg_class c.oid}}
        AND ($1::text[] IS NULL OR (n.nspname::text, c.relname::text) IN (SELECT * FROM unnest($1::text[], $2::text[])))
        -- by name too, so a scoped read starts from the name index, not a scan
        AND ($2::text[] IS NULL OR c.relname = ANY ($2::pg_catalog.name[]))
        -- a part of the tables, when the read is split between connections
        /*tables*/
      ORDER BY c.oid OFFSET 0) c
CROSS JOIN LATERAL (
  SELECT a.attrelid, a.attnum, a.attname, a.atttypid, a.atttypmod, a.attcollation, a.attnotnull, a.atthasdef,
    a.attidentity, a.attgenerated, a.attislocal, a.attacl,
    a.attstorage, a.attstattarget, /*v14*/a.attcompression/*else*/NULL/*end*/ AS attcompression, a.attoptions, a.attfdwoptions
  FROM pg_catalog.pg_attribute a
  WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  ORDER BY a.attnum) a
-- What a column's type and collation say, looked up once per distinct
-- pair (a Memoize node on PostgreSQL 14+; per column, three pg_type
-- probes and a pg_depend one cost 110,000 buffer accesses per half at
-- 10,000 tables): the type's storage, the collation where it is not the
-- type's, and the extension whose type (or array of it) the column has
-- (types not built in): dropping the extension must wait for the column
-- to change type.
LEFT JOIN LATERAL (
  SELECT CASE WHEN a.attcollation <> 0 THEN
    (SELECT CASE WHEN cn.nspname = 'pg_catalog' THEN pg_catalog.quote_ident(co.collname)
                 ELSE pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname) END
     FROM pg_catalog.pg_collation co
     LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
     WHERE co.oid = a.attcollation AND a.attcollation <> t.typcollation)
  END AS collation,
  CASE WHEN a.atttypid >= 16384 THEN
    (SELECT e.extname FROM pg_catalog.pg_depend d
     JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid
     WHERE d.classid = 'pg_catalog.pg_type'::pg_catalog.regclass AND d.objid IN (t.oid, t.typelem) AND d.deptype = 'e'
     LIMIT 1)
  END AS type_extension,
  t.typstorage
  FROM pg_catalog.pg_type t
  WHERE t.oid = a.atttypid OFFSET 0) tx ON true
ORDER BY c.oid, a.attnum
