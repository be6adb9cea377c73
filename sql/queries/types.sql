-- Enum, domain, standalone composite and range types. labels: the parts of
-- the definition fix SQL alters one by one (enum labels; composite
-- attributes as name, type; domain type, default, not_null, checks).
-- relid: a composite's own relation, which its attributes' dependencies name.
-- $1, $2: optional scope as parallel arrays of (schema, name); NULL = all.
SELECT t.oid, n.nspname, t.typname, t.typtype::text,
  CASE t.typtype
    WHEN 'e' THEN (SELECT pg_catalog.array_agg(e.enumlabel::text ORDER BY e.enumsortorder)
                   FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid)
    WHEN 'c' THEN (SELECT pg_catalog.array_agg(pg_catalog.quote_ident(a.attname) || E'\x1e'
                            || pg_catalog.format_type(a.atttypid, a.atttypmod)
                            || COALESCE((SELECT ' COLLATE ' || CASE WHEN cn.nspname = 'pg_catalog' THEN pg_catalog.quote_ident(co.collname)
                                                   ELSE pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname) END
                                         FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
                                         JOIN pg_catalog.pg_type at ON at.oid = a.atttypid
                                         WHERE co.oid = a.attcollation AND a.attcollation <> at.typcollation), '')
                            ORDER BY a.attnum)
                   FROM pg_catalog.pg_attribute a
                   WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped)
    WHEN 'd' THEN ARRAY['type' || E'\x1e' || pg_catalog.format_type(t.typbasetype, t.typtypmod)
                          || COALESCE((SELECT ' COLLATE ' || CASE WHEN cn.nspname = 'pg_catalog' THEN pg_catalog.quote_ident(co.collname)
                                                 ELSE pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname) END
                                       FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
                                       JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype
                                       WHERE co.oid = t.typcollation AND t.typcollation <> bt.typcollation), ''),
                        'default' || E'\x1e' || COALESCE(pg_catalog.pg_get_expr(t.typdefaultbin, 0), ''),
                        'not_null' || E'\x1e' || t.typnotnull::text]
                  || COALESCE((SELECT pg_catalog.array_agg('check' || E'\x1e' || pg_catalog.quote_ident(c.conname) || E'\x1e'
                                                           || pg_catalog.pg_get_constraintdef(c.oid) ORDER BY c.conname)
                               FROM pg_catalog.pg_constraint c WHERE c.contypid = t.oid AND c.contype = 'c'), '{}')
  END AS labels,
  CASE t.typtype
    WHEN 'd' THEN pg_catalog.format_type(t.typbasetype, t.typtypmod)
      || COALESCE((SELECT ' COLLATE ' || CASE WHEN cn.nspname = 'pg_catalog' THEN pg_catalog.quote_ident(co.collname)
                                             ELSE pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname) END
                   FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
                   JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype
                   WHERE co.oid = t.typcollation AND t.typcollation <> bt.typcollation), '')
      || COALESCE(' DEFAULT ' || pg_catalog.pg_get_expr(t.typdefaultbin, 0), '')
      || CASE WHEN t.typnotnull THEN ' NOT NULL' ELSE '' END
      || COALESCE((SELECT pg_catalog.string_agg(' CONSTRAINT ' || pg_catalog.quote_ident(c.conname) || ' '
                                                || pg_catalog.pg_get_constraintdef(c.oid), '' ORDER BY c.conname)
                   FROM pg_catalog.pg_constraint c WHERE c.contypid = t.oid), '')
    WHEN 'c' THEN (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname) || ' '
                            || pg_catalog.format_type(a.atttypid, a.atttypmod)
                            || COALESCE((SELECT ' COLLATE ' || CASE WHEN cn.nspname = 'pg_catalog' THEN pg_catalog.quote_ident(co.collname)
                                                   ELSE pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname) END
                                         FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
                                         JOIN pg_catalog.pg_type at ON at.oid = a.atttypid
                                         WHERE co.oid = a.attcollation AND a.attcollation <> at.typcollation), ''),
                            ', ' ORDER BY a.attnum)
                   FROM pg_catalog.pg_attribute a
                   WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped)
    WHEN 'r' THEN (SELECT 'SUBTYPE = ' || pg_catalog.format_type(r.rngsubtype, NULL)
                     || CASE WHEN NOT oc.opcdefault THEN ', SUBTYPE_OPCLASS = ' || pg_catalog.quote_ident(ocn.nspname) || '.' || pg_catalog.quote_ident(oc.opcname) ELSE '' END
                     || CASE WHEN r.rngcollation <> 0 AND r.rngcollation <> st.typcollation THEN ', COLLATION = ' || r.rngcollation::pg_catalog.regcollation::text ELSE '' END
                     || CASE WHEN r.rngcanonical <> 0 THEN ', CANONICAL = ' || r.rngcanonical::pg_catalog.regproc::text ELSE '' END
                     || CASE WHEN r.rngsubdiff <> 0 THEN ', SUBTYPE_DIFF = ' || r.rngsubdiff::pg_catalog.regproc::text ELSE '' END
                   FROM pg_catalog.pg_range r
                   JOIN pg_catalog.pg_opclass oc ON oc.oid = r.rngsubopc
                   JOIN pg_catalog.pg_namespace ocn ON ocn.oid = oc.opcnamespace
                   JOIN pg_catalog.pg_type st ON st.oid = r.rngsubtype
                   WHERE r.rngtypid = t.oid)
  END AS definition,
  d.description, t.typacl::text[], pg_catalog.pg_get_userbyid(t.typowner)::text,
  c.oid AS relid
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
LEFT JOIN pg_catalog.pg_class c ON c.oid = t.typrelid AND c.relkind = 'c'
LEFT JOIN pg_catalog.pg_description d
  ON d.objoid = t.oid AND d.classoid = 'pg_catalog.pg_type'::pg_catalog.regclass AND d.objsubid = 0
WHERE (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND c.relkind = 'c'))
  AND {{user_schema n}}
  AND {{not_extension_member pg_type t.oid}}
  AND ($1::text[] IS NULL OR (n.nspname::text, t.typname::text) IN (SELECT * FROM unnest($1::text[], $2::text[])))
  -- by name too, so a scoped read starts from the name index, not a scan
  AND ($2::text[] IS NULL OR t.typname = ANY ($2::pg_catalog.name[]))
