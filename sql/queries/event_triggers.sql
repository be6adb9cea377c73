-- Event triggers other than driftwatch's own.
SELECT e.evtname, e.evtevent, e.evtfoid::pg_catalog.regproc::text,
  pg_catalog.array_to_string(ARRAY(SELECT pg_catalog.unnest(e.evttags) ORDER BY 1), ', '),
  e.evtenabled::text, d.description
FROM pg_catalog.pg_event_trigger e
LEFT JOIN pg_catalog.pg_description d
  ON d.objoid = e.oid AND d.classoid = 'pg_catalog.pg_event_trigger'::pg_catalog.regclass AND d.objsubid = 0
WHERE e.evtname !~ '^driftwatch_'
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend x
                  WHERE x.classid = 'pg_catalog.pg_event_trigger'::pg_catalog.regclass
                    AND x.objid = e.oid AND x.deptype = 'e')
