-- Text search configurations: the parser, schema-qualified, and the
-- mappings, one per token type in token order: "token: dictionary, ...",
-- the token quoted as an identifier, its dictionaries qualified, in the
-- order they are consulted.
SELECT n.nspname, c.cfgname,
  pg_catalog.quote_ident(pn.nspname) || '.' || pg_catalog.quote_ident(p.prsname),
  m.mappings,
  ds.description
FROM pg_catalog.pg_ts_config c
JOIN pg_catalog.pg_namespace n ON n.oid = c.cfgnamespace
JOIN pg_catalog.pg_ts_parser p ON p.oid = c.cfgparser
JOIN pg_catalog.pg_namespace pn ON pn.oid = p.prsnamespace
CROSS JOIN LATERAL (
  SELECT pg_catalog.array_agg(tm.token || ': ' || tm.dicts ORDER BY tm.token COLLATE "C") AS mappings
  FROM (
    SELECT pg_catalog.quote_ident(t.alias) AS token,
      pg_catalog.string_agg(pg_catalog.quote_ident(dn.nspname) || '.' || pg_catalog.quote_ident(dd.dictname), ', '
        ORDER BY mp.mapseqno) AS dicts
    FROM pg_catalog.pg_ts_config_map mp
    JOIN pg_catalog.ts_token_type(c.cfgparser) t ON t.tokid = mp.maptokentype
    JOIN pg_catalog.pg_ts_dict dd ON dd.oid = mp.mapdict
    JOIN pg_catalog.pg_namespace dn ON dn.oid = dd.dictnamespace
    WHERE mp.mapcfg = c.oid
    GROUP BY t.alias) tm) m
LEFT JOIN pg_catalog.pg_description ds
  ON ds.objoid = c.oid AND ds.classoid = 'pg_catalog.pg_ts_config'::pg_catalog.regclass AND ds.objsubid = 0
WHERE {{user_schema n}}
  AND {{not_extension_member pg_ts_config c.oid}}
