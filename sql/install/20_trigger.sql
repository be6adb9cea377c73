-- driftwatch install, part 2: the event-trigger function and the event
-- triggers that call it. Needs 10_ddl_events.sql.

-- redact_secrets masks what looks like a password in SQL text:
--   PASSWORD 'x' / ENCRYPTED PASSWORD E'x' / "password" $$x$$ / OPTIONS (password 'x')
--   password=x and password=''x'' inside connection strings
--   the password of a URI connection string (scheme://user:x@host)
-- A literal cut off by the end of the text is masked to the end.
-- Every pattern needs "password" or "://": on_ddl calls it only for text
-- with either (a call costs more than the rest of the recording).
CREATE OR REPLACE FUNCTION driftwatch.redact_secrets(sql_text text)
RETURNS text
LANGUAGE sql
IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
SELECT pg_catalog.regexp_replace(
         pg_catalog.regexp_replace(
           pg_catalog.regexp_replace(
             sql_text,
             -- keyword then a string literal (standard, E'', U&'', dollar-quoted);
             -- the leading lazy quantifier makes the whole match shortest, so a
             -- literal ends at its real closing quote or tag.
             $re$("??password(?:"\s*?|\s+?))(?:[eE]'(?:[^'\\]|\\.|'')*(?:'(?!')|$)|[uU]&'(?:[^']|'')*(?:'(?!')|$)|'(?:[^']|'')*(?:'(?!')|$)|\$([A-Za-z_0-9]*)\$.*?(?:\$\2\$|$))$re$,
             $rep$\1'***'$rep$, 'gi'),
           -- conninfo keyword=value, the value bare or quoted ('' inside SQL text)
           $re$(password\s*=\s*)(?:''(?:[^'\\]|\\''|\\[^'])*(?:''|$)|[^\s']+)$re$,
           $rep$\1***$rep$, 'gi'),
         -- URI user:password@
         $re$([a-z][a-z0-9+.-]*://[^:/@\s']*:)[^@\s']*@$re$,
         $rep$\1***@$rep$, 'gi')
$fn$;
REVOKE ALL ON FUNCTION driftwatch.redact_secrets(text) FROM PUBLIC;

-- ignored_object tells on_ddl which objects not to record: driftwatch's
-- own (schema driftwatch and what is in it) and temporary ones. Rules,
-- triggers and policies come without a schema, named "x on schema.table".
-- It has no SET clause so that PostgreSQL inlines it into on_ddl's queries
-- (a call through the SQL-function executor cost 20 us per object); its
-- operators are schema-qualified instead, so no search_path can change
-- what it means.
CREATE OR REPLACE FUNCTION driftwatch.ignored_object(object_type text, schema_name text, object_identity text)
RETURNS boolean
LANGUAGE sql
IMMUTABLE PARALLEL SAFE
AS $fn$
SELECT COALESCE(CASE
    WHEN schema_name IS NOT NULL THEN
        schema_name OPERATOR(pg_catalog.=) 'driftwatch'
        OR pg_catalog.starts_with(schema_name, 'pg_temp')
        OR pg_catalog.starts_with(schema_name, 'pg_toast_temp')
        OR (object_type OPERATOR(pg_catalog.=) 'schema' AND object_identity OPERATOR(pg_catalog.=) 'driftwatch')
    WHEN object_type OPERATOR(pg_catalog.=) 'schema' THEN
        object_identity OPERATOR(pg_catalog.=) 'driftwatch'
    -- the regular expression only for what names its table in the identity
    ELSE COALESCE(object_identity OPERATOR(pg_catalog.~)
            ' on (driftwatch|pg_temp(_[0-9]+)?|pg_toast_temp_[0-9]+)\.("([^"]|"")*"|[^". ]+)$', false)
    END, false)
$fn$;
REVOKE ALL ON FUNCTION driftwatch.ignored_object(text, text, text) FROM PUBLIC;

-- on_ddl records DDL in driftwatch.ddl_events and rings pg_notify('driftwatch').
--
-- ddl_command_end: one row per pg_event_trigger_ddl_commands() row.
-- sql_drop: one row per pg_event_trigger_dropped_objects() row (is_drop).
-- DROP commands report their objects only through sql_drop, so rows of
-- DROP ... commands are never taken from ddl_command_end: a drop is recorded
-- once. Skipped: objects in schema driftwatch, temporary objects, objects
-- created by an extension's script (the extension itself is recorded).
--
-- One notification per statement that recorded rows: sql_drop fires just
-- before ddl_command_end of the same statement, so it leaves its count in a
-- transaction-local setting and ddl_command_end sends the sum:
--   {"txid": "<xid8>", "max_id": <highest id>, "count": <rows>}
--
-- It must never make a user's DDL fail: every error is trapped and reported
-- as a WARNING. Cost is watched (it runs inside every DDL statement): no
-- SET clause beyond search_path (each one costs a GUC save and restore per
-- call, a tenth of the function's time), a single INSERT per event whose
-- plan is a bare function scan (no sort but for CREATE VIEW), one
-- subtransaction (the outer trap), and few PL/pgSQL statements: in
-- autocommit each call is a new transaction, where every expression is
-- compiled again, and PERFORM starts an executor, so calls whose result
-- is not needed are assignments, and values the same for every row are
-- plain function calls in the INSERT's select list.
CREATE OR REPLACE FUNCTION driftwatch.on_ddl()
RETURNS event_trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    v_statement    text;
    v_cut          boolean;
    v_current_user name;
    v_txid         xid8;
    v_count        bigint := 0;
    v_max          bigint;
    v_pending      text;
BEGIN
    BEGIN
        IF pg_catalog.current_setting('driftwatch.installing', true) = 'on'
           AND pg_catalog.current_setting('is_superuser') = 'on' THEN
            RETURN;
        END IF;
        v_statement := pg_catalog.current_query();
        -- octet_length is read from the header; length counts characters,
        -- a scan of the text, only needed past 100000 bytes
        v_cut := pg_catalog.octet_length(v_statement) > 100000
                 AND pg_catalog.length(v_statement) > 100000;
        IF v_cut THEN
            v_statement := pg_catalog.left(v_statement, 100000);
        END IF;
        -- what redact_secrets masks needs "password" or "://". Folded
        -- under collation "C": ASCII letters only, as the SQL scanner folds
        -- keywords, and without the per-character wide-character
        -- conversion of other collations (a migration sent as one query
        -- string makes every call scan the whole file). LIKE scans text
        -- about twice as fast as strpos.
        IF v_statement COLLATE "C" LIKE '%://%'
           OR v_statement COLLATE "C" ILIKE '%password%' THEN
            v_statement := driftwatch.redact_secrets(v_statement);
        END IF;
        IF v_cut THEN
            v_statement := v_statement || ' /* driftwatch: statement cut at 100000 characters */';
        END IF;
        -- SECURITY DEFINER hides the caller's CURRENT_USER; the role setting
        -- still shows a SET ROLE.
        v_current_user := COALESCE(NULLIF(pg_catalog.current_setting('role'), 'none')::name, SESSION_USER);
        v_txid := pg_catalog.pg_current_xact_id();
        IF TG_EVENT = 'sql_drop' THEN
            INSERT INTO driftwatch.ddl_events (
                txid, command_tag, object_type, schema_name, object_identity,
                classid, objid, objsubid, is_drop, original,
                "session_user", "current_user", application_name, client_addr,
                backend_pid, statement)
            SELECT v_txid, TG_TAG, d.object_type, d.schema_name,
                   d.object_identity, d.classid, d.objid, d.objsubid, true, d.original,
                   SESSION_USER, v_current_user, pg_catalog.current_setting('application_name'),
                   pg_catalog.inet_client_addr(), pg_catalog.pg_backend_pid(), v_statement
            FROM pg_catalog.pg_event_trigger_dropped_objects() AS d
            WHERE NOT d.is_temporary
              AND NOT driftwatch.ignored_object(d.object_type, d.schema_name, d.object_identity);
            GET DIAGNOSTICS v_count = ROW_COUNT;
            IF v_count > 0 THEN
                -- ids come from the sequence in insert order: the last
                -- one this session drew is the highest of the rows
                v_max := pg_catalog.currval('driftwatch.ddl_events_id_seq'::pg_catalog.regclass);
                v_pending := NULLIF(pg_catalog.current_setting('driftwatch.pending', true), '');
                IF v_pending IS NOT NULL THEN
                    v_count := v_count + pg_catalog.split_part(v_pending, ':', 1)::bigint;
                END IF;
                v_pending := pg_catalog.set_config('driftwatch.pending', v_count || ':' || v_max, true);
            END IF;
            RETURN;
        END IF;
        IF TG_EVENT <> 'ddl_command_end' THEN
            RETURN;
        END IF;
        -- A DROP command's objects came through sql_drop; its end only
        -- sends the notification below.
        IF TG_TAG NOT LIKE 'DROP %' THEN
            IF TG_TAG = 'CREATE VIEW' THEN
                -- CREATE OR REPLACE VIEW reports its view twice: DISTINCT
                -- ON keeps one, in report order. Only this command pays for
                -- the sort.
                INSERT INTO driftwatch.ddl_events (
                    txid, command_tag, object_type, schema_name, object_identity,
                    classid, objid, objsubid, is_drop, original,
                    "session_user", "current_user", application_name, client_addr,
                    backend_pid, statement)
                SELECT v_txid, c.command_tag, c.object_type, c.schema_name,
                       c.object_identity, c.classid, c.objid, c.objsubid, false, NULL,
                       SESSION_USER, v_current_user, pg_catalog.current_setting('application_name'),
                   pg_catalog.inet_client_addr(), pg_catalog.pg_backend_pid(), v_statement
                FROM (
                    SELECT DISTINCT ON (c.command_tag, c.classid, c.objid, c.objsubid, c.object_type, c.object_identity)
                           c.command_tag, c.classid, c.objid, c.objsubid, c.object_type, c.object_identity,
                           c.schema_name, c.ordinality AS ord
                    FROM pg_catalog.pg_event_trigger_ddl_commands() WITH ORDINALITY AS c
                    WHERE NOT c.in_extension
                      AND NOT driftwatch.ignored_object(c.object_type, c.schema_name, c.object_identity)
                    ORDER BY c.command_tag, c.classid, c.objid, c.objsubid, c.object_type, c.object_identity, c.ordinality
                ) AS c
                ORDER BY c.ord;
            ELSE
                -- rows go in as the function returns them, in report order
                INSERT INTO driftwatch.ddl_events (
                    txid, command_tag, object_type, schema_name, object_identity,
                    classid, objid, objsubid, is_drop, original,
                    "session_user", "current_user", application_name, client_addr,
                    backend_pid, statement)
                SELECT v_txid, c.command_tag, c.object_type, c.schema_name,
                       c.object_identity, c.classid, c.objid, c.objsubid, false, NULL,
                       SESSION_USER, v_current_user, pg_catalog.current_setting('application_name'),
                   pg_catalog.inet_client_addr(), pg_catalog.pg_backend_pid(), v_statement
                FROM pg_catalog.pg_event_trigger_ddl_commands() AS c
                WHERE c.command_tag NOT LIKE 'DROP %'
                  AND NOT c.in_extension
                  AND NOT driftwatch.ignored_object(c.object_type, c.schema_name, c.object_identity);
            END IF;
            GET DIAGNOSTICS v_count = ROW_COUNT;
            IF v_count > 0 THEN
                v_max := pg_catalog.currval('driftwatch.ddl_events_id_seq'::pg_catalog.regclass);
            END IF;
        END IF;
        v_pending := NULLIF(pg_catalog.current_setting('driftwatch.pending', true), '');
        IF v_pending IS NOT NULL THEN
            v_count := v_count + pg_catalog.split_part(v_pending, ':', 1)::bigint;
            v_max := GREATEST(v_max, pg_catalog.split_part(v_pending, ':', 2)::bigint);
            v_pending := pg_catalog.set_config('driftwatch.pending', '', true);
        END IF;
        IF v_count > 0 THEN
            -- pg_notify itself only fails on a bad channel or payload;
            -- a full queue fails the COMMIT, out of this function's reach.
            -- So a queue that some stuck listener has half filled is not
            -- fed: the rows stay recorded, the daemon reads them with the
            -- next notification or sweep. The payload is built by hand:
            -- json_build_object cost a tenth of the function.
            IF pg_catalog.pg_notification_queue_usage() < 0.5 THEN
                v_pending := pg_catalog.pg_notify('driftwatch',
                    '{"txid":"' || v_txid || '","max_id":' || v_max || ',"count":' || v_count || '}')::text;
            ELSE
                RAISE WARNING 'driftwatch: DDL recorded but not announced: the NOTIFY queue is % full (a listener is not reading; see pg_notification_queue_usage())',
                    pg_catalog.to_char(100 * pg_catalog.pg_notification_queue_usage(), 'FM990%');
            END IF;
        END IF;
    EXCEPTION WHEN OTHERS THEN
        RAISE WARNING 'driftwatch: DDL not recorded in driftwatch.ddl_events (%: %); your command went through, the next sweep will see it', SQLSTATE, SQLERRM;
    END;
END
$fn$;
REVOKE ALL ON FUNCTION driftwatch.on_ddl() FROM PUBLIC;

-- Recreate the event triggers so they point at the current function, then
-- make them fire even under session_replication_role = replica.
DROP EVENT TRIGGER IF EXISTS driftwatch_ddl_command_end;
CREATE EVENT TRIGGER driftwatch_ddl_command_end ON ddl_command_end
    EXECUTE FUNCTION driftwatch.on_ddl();
ALTER EVENT TRIGGER driftwatch_ddl_command_end ENABLE ALWAYS;

DROP EVENT TRIGGER IF EXISTS driftwatch_sql_drop;
CREATE EVENT TRIGGER driftwatch_sql_drop ON sql_drop
    EXECUTE FUNCTION driftwatch.on_ddl();
ALTER EVENT TRIGGER driftwatch_sql_drop ENABLE ALWAYS;
