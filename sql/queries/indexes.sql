-- Indexes not backing a primary key, unique or exclusion constraint (the
-- constraint stands for those). inherited: attached to a partitioned index,
-- the parent_* columns name that index; invalid: a partitioned table's
-- index that some partition has no index attached to yet.
--
-- pg_get_indexdef opens every index (a relcache build each on a fresh
-- connection: most of a full read's time at 10,000 tables), so it is
-- called only for indexes with expression columns or opclass options; the
-- others come back as pg_index's fields and are rendered by the caller as
-- pg_get_indexdef prints them. So is a predicate, from its node tree: the
-- caller deparses each distinct one once (index_predicates.sql), as that
-- opens the table. A scoped read (a re-check of a few tables) has the
-- server print every definition instead: one round trip, not three.
-- /*full*/a/*scoped*/b/*endscope*/: a on a full read, b on a scoped one;
-- /*vNN*/a/*else*/b/*end*/: a on PostgreSQL NN+.
SELECT n.nspname, c.relname, ic.relname,
  CASE WHEN /*full*/false/*scoped*/true/*endscope*/ OR i.indexprs IS NOT NULL
         -- Opclass options (attoptions) only a class with an options
         -- support function takes, and no built-in btree class has one: a
         -- btree index is looked at only if it uses a class of a family
         -- that has one (support function 5). Looking at every index's
         -- attributes read 80,000 pages at 10,000 tables.
         OR (am.amname <> 'btree' OR i.indclass::pg_catalog.oid[] && ARRAY(
               SELECT oc.oid FROM pg_catalog.pg_opclass oc
               JOIN pg_catalog.pg_am oam ON oam.oid = oc.opcmethod AND oam.amname = 'btree'
               JOIN pg_catalog.pg_amproc ap ON ap.amprocfamily = oc.opcfamily AND ap.amprocnum = 5))
            AND EXISTS (SELECT 1 FROM pg_catalog.pg_attribute oa WHERE oa.attrelid = i.indexrelid AND oa.attoptions IS NOT NULL)
       THEN pg_catalog.pg_get_indexdef(i.indexrelid) END AS definition,
  ic.relispartition AS inherited, d.description,
  pn.nspname AS parent_schema, pt.relname AS parent_table, pic.relname AS parent_name,
  i.indrelid, c.relkind::text, i.indisunique, am.amname::text, i.indnkeyatts,
  i.indkey::pg_catalog.int2[], i.indclass::pg_catalog.oid[], i.indcollation::pg_catalog.oid[], i.indoption::pg_catalog.int2[],
  ic.reloptions::text[], /*v15*/i.indnullsnotdistinct/*else*/false/*end*/,
  i.indexrelid, CASE WHEN /*full*/true/*scoped*/false/*endscope*/ AND i.indexprs IS NULL THEN i.indpred::text END AS predicate_tree,
  -- An index made ON ONLY a partitioned table stays invalid until every
  -- partition has an index attached to it; pg_dump keeps such an index
  -- (and no other invalid one), so only these are told apart.
  c.relkind = 'p' AND NOT i.indisvalid AS invalid,
  -- and the partitions' indexes attached to such an index: which are, and
  -- which not yet, tells two invalid ones apart.
  CASE WHEN c.relkind = 'p' AND NOT i.indisvalid THEN
    {{attached_indexes i.indexrelid}}
  END AS attached,
  -- An expression index's statistics targets (ALTER INDEX ... ALTER
  -- COLUMN n SET STATISTICS), "n=target, ..." in column order.
  CASE WHEN i.indexprs IS NOT NULL THEN
    (SELECT pg_catalog.string_agg(a.attnum::text || '=' || a.attstattarget::text, ', ' ORDER BY a.attnum)
     FROM pg_catalog.pg_attribute a WHERE a.attrelid = i.indexrelid AND a.attstattarget >= 0)
  END AS column_statistics
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
  -- A full read hashes every key's index once instead of looking each
  -- index up in pg_constraint (30,000 probes at 10,000 tables, ~35 ms); a
  -- key's index is always on the key's table. A scoped read probes.
  AND /*full*/i.indexrelid NOT IN (SELECT k.conindid FROM pg_catalog.pg_constraint k WHERE k.contype IN ('p', 'u', 'x'))/*scoped*/NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x'))/*endscope*/
  AND {{user_schema n}}
  AND {{not_extension_member pg_class c.oid}}
  AND ($1::text[] IS NULL OR (n.nspname::text, c.relname::text) IN (SELECT * FROM unnest($1::text[], $2::text[])))
  -- by name too, so a scoped read starts from the name index, not a scan
  AND ($2::text[] IS NULL OR c.relname = ANY ($2::pg_catalog.name[]))
