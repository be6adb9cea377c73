-- A zoo of PostgreSQL features, for the zero-false-positive tests: a
-- database built from this file must be clean against its own pg_dump and
-- against driftwatch's own SQL snapshot.
CREATE EXTENSION IF NOT EXISTS citext;
CREATE EXTENSION IF NOT EXISTS hstore WITH SCHEMA public;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE SCHEMA "Weird Schema";
CREATE SCHEMA billing;
CREATE COLLATION billing.ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE TYPE billing.currency AS ENUM ('EUR', 'USD', 'JPY');
CREATE TYPE billing.money_amount AS (amount numeric(18,4), currency billing.currency);
CREATE DOMAIN billing.positive AS numeric(18,4) DEFAULT 0 NOT NULL CONSTRAINT positive_check CHECK (VALUE >= 0) CONSTRAINT not_huge CHECK (VALUE < 1e12);
CREATE DOMAIN public.email AS citext CHECK (VALUE ~ '^[^@]+@[^@]+$');
CREATE TYPE public.timerange AS RANGE (subtype = time);
CREATE SEQUENCE billing.invoice_no AS integer START 1000 INCREMENT 7 MINVALUE 1000 MAXVALUE 999999 CACHE 10 CYCLE;

CREATE TABLE public."user" (
    id bigint GENERATED ALWAYS AS IDENTITY (START WITH 100) PRIMARY KEY,
    "pkceRequired" boolean NOT NULL DEFAULT false,
    email public.email NOT NULL,
    "Display Name" text COLLATE "C",
    nick text COLLATE billing.ci,
    tags text[] DEFAULT '{}'::text[],
    attrs hstore,
    score double precision DEFAULT random(),
    created_at timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
    full_label text GENERATED ALWAYS AS (coalesce("Display Name", '') || ' <' || email || '>') STORED,
    CONSTRAINT user_email_key UNIQUE (email),
    CONSTRAINT score_range CHECK (score BETWEEN 0 AND 1) NOT VALID
);
ALTER TABLE public."user" ALTER COLUMN tags SET STORAGE EXTERNAL;
CREATE UNIQUE INDEX user_lower_nick ON public."user" (lower(nick)) WHERE nick IS NOT NULL;
CREATE INDEX user_tags_gin ON public."user" USING gin (tags);
CREATE INDEX user_nick_trgm ON public."user" USING gist (nick gist_trgm_ops);
CREATE INDEX user_created_brin ON public."user" USING brin (created_at) WITH (pages_per_range = 32);
CREATE INDEX user_label ON public."user" (full_label DESC NULLS LAST, id) INCLUDE (email) WITH (fillfactor = 70);
ALTER TABLE public."user" ENABLE ROW LEVEL SECURITY;
ALTER TABLE public."user" FORCE ROW LEVEL SECURITY;
CREATE POLICY user_self ON public."user" AS RESTRICTIVE FOR UPDATE TO PUBLIC USING (id = 1) WITH CHECK (id = 1);
CREATE POLICY user_read ON public."user" FOR SELECT USING (true);

CREATE TABLE billing.account (
    id serial PRIMARY KEY,
    owner_id bigint NOT NULL REFERENCES public."user"(id) ON DELETE RESTRICT ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED,
    balance billing.positive,
    currency billing.currency NOT NULL DEFAULT 'EUR',
    during tstzrange,
    limits billing.money_amount,
    EXCLUDE USING gist (owner_id WITH =, during WITH &&)
) WITH (fillfactor = 80, autovacuum_enabled = false);
CREATE TABLE billing.invoice (
    no integer NOT NULL DEFAULT nextval('billing.invoice_no'),
    account_id integer NOT NULL,
    issued date NOT NULL,
    total numeric(12,2) NOT NULL CHECK (total >= 0),
    lines jsonb NOT NULL DEFAULT '[]',
    PRIMARY KEY (no, issued),
    FOREIGN KEY (account_id) REFERENCES billing.account MATCH FULL ON DELETE CASCADE
) PARTITION BY RANGE (issued);
CREATE TABLE billing.invoice_2024 PARTITION OF billing.invoice FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE billing.invoice_2025 PARTITION OF billing.invoice FOR VALUES FROM ('2025-01-01') TO ('2026-01-01') PARTITION BY HASH (no);
CREATE TABLE billing.invoice_2025_h0 PARTITION OF billing.invoice_2025 FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE billing.invoice_2025_h1 PARTITION OF billing.invoice_2025 FOR VALUES WITH (MODULUS 2, REMAINDER 1);
CREATE TABLE billing.invoice_default PARTITION OF billing.invoice DEFAULT;
CREATE INDEX invoice_account ON billing.invoice (account_id, issued DESC);
CREATE TABLE billing.region (code text, name text) PARTITION BY LIST (code);
CREATE TABLE billing.region_eu PARTITION OF billing.region FOR VALUES IN ('de', 'fr', 'it');
CREATE UNLOGGED TABLE billing.scratch (k text PRIMARY KEY, v bytea) ;
CREATE TABLE billing.audit (id bigserial, at timestamptz DEFAULT now(), what text);
CREATE TABLE billing.audit_account (account_id int) INHERITS (billing.audit);
CREATE TABLE "Weird Schema"."Table ""quoted"" name" ("Column.With.Dots" int PRIMARY KEY, "select" text, "ÜnïcødÉ" text UNIQUE);
CREATE TABLE "Weird Schema".aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa (x int);
CREATE TYPE public.pair_t AS (a int, b text);
CREATE TABLE public.typed_pairs OF public.pair_t (PRIMARY KEY (a));

CREATE VIEW public.active_users WITH (security_barrier = true) AS
    SELECT u.id, u.email, count(a.id) AS accounts
    FROM public."user" u LEFT JOIN billing.account a ON a.owner_id = u.id
    WHERE u."pkceRequired" GROUP BY u.id, u.email;
CREATE VIEW public.active_emails AS SELECT email FROM public.active_users WHERE accounts > 0 WITH LOCAL CHECK OPTION;
CREATE RECURSIVE VIEW public.numbers (n) AS VALUES (1) UNION ALL SELECT n + 1 FROM numbers WHERE n < 10;
CREATE MATERIALIZED VIEW billing.totals AS SELECT account_id, sum(total) AS total FROM billing.invoice GROUP BY account_id WITH NO DATA;
CREATE UNIQUE INDEX totals_account ON billing.totals (account_id);

CREATE FUNCTION billing.add_tax(amount numeric, rate numeric DEFAULT 0.2, OUT gross numeric, OUT tax numeric)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT amount * (1 + rate), amount * rate $$;
CREATE FUNCTION billing.accounts_of(uid bigint) RETURNS SETOF billing.account
    LANGUAGE sql STABLE ROWS 10 AS $$ SELECT * FROM billing.account WHERE owner_id = uid $$;
CREATE FUNCTION billing.sum_all(VARIADIC xs numeric[]) RETURNS numeric
    LANGUAGE sql IMMUTABLE RETURN (SELECT sum(x) FROM unnest(xs) x);
CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public COST 5 AS $$
BEGIN
  NEW.created_at := clock_timestamp();
  RETURN NEW;
END $$;
CREATE FUNCTION public.touch(x int) RETURNS int LANGUAGE sql AS 'SELECT x';
CREATE FUNCTION public.audit_stmt() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE FUNCTION public.instead_ins() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE FUNCTION public.t_table(n int) RETURNS TABLE (i int, sq int) LANGUAGE sql AS $$ SELECT g, g*g FROM generate_series(1, n) g $$;
CREATE PROCEDURE billing.close_month(m date) LANGUAGE plpgsql AS $$ BEGIN RAISE NOTICE '%', m; END $$;
CREATE AGGREGATE public.product(numeric) (SFUNC = numeric_mul, STYPE = numeric, INITCOND = '1');
CREATE AGGREGATE public.concat_all(text ORDER BY text) (SFUNC = textcat, STYPE = text, INITCOND = '');
CREATE TRIGGER user_touch BEFORE INSERT OR UPDATE OF email, nick ON public."user" FOR EACH ROW WHEN (NEW.email IS NOT NULL) EXECUTE FUNCTION public.touch();
CREATE TRIGGER account_audit AFTER INSERT ON billing.account REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION public.audit_stmt();
CREATE TRIGGER account_trunc AFTER TRUNCATE ON billing.account FOR EACH STATEMENT EXECUTE FUNCTION public.audit_stmt();
CREATE CONSTRAINT TRIGGER invoice_check AFTER INSERT ON billing.invoice_2024 DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.audit_stmt();
CREATE TRIGGER active_ins INSTEAD OF INSERT ON public.active_users FOR EACH ROW EXECUTE FUNCTION public.instead_ins();
CREATE TRIGGER disabled_one AFTER UPDATE ON billing.scratch FOR EACH ROW EXECUTE FUNCTION public.audit_stmt();
ALTER TABLE billing.scratch DISABLE TRIGGER disabled_one;
CREATE RULE scratch_no_delete AS ON DELETE TO billing.scratch WHERE old.k = 'keep' DO INSTEAD NOTHING;
CREATE STATISTICS billing.acct_stats (ndistinct, dependencies) ON owner_id, currency FROM billing.account;
CREATE FUNCTION public.on_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN END $$;
CREATE EVENT TRIGGER app_ddl ON ddl_command_end WHEN TAG IN ('CREATE TABLE', 'ALTER TABLE') EXECUTE FUNCTION public.on_ddl();
ALTER EVENT TRIGGER app_ddl DISABLE;
COMMENT ON SCHEMA billing IS 'Money.';
COMMENT ON TABLE public."user" IS 'People; "quoted" and ''single''.';
COMMENT ON COLUMN public."user"."pkceRequired" IS 'OAuth PKCE';
COMMENT ON CONSTRAINT score_range ON public."user" IS 'not validated yet';
COMMENT ON INDEX public.user_label IS 'label index';
COMMENT ON FUNCTION billing.add_tax(numeric, numeric) IS 'tax';
COMMENT ON TYPE billing.currency IS 'ISO 4217';
COMMENT ON VIEW public.active_users IS 'active';
COMMENT ON TRIGGER user_touch ON public."user" IS 'touch';
COMMENT ON POLICY user_read ON public."user" IS 'everyone reads';
COMMENT ON SEQUENCE billing.invoice_no IS 'numbers';
GRANT USAGE ON SCHEMA billing TO PUBLIC;
GRANT SELECT, INSERT ON public."user" TO PUBLIC;
GRANT SELECT (currency), UPDATE (balance) ON billing.account TO PUBLIC;
REVOKE EXECUTE ON FUNCTION billing.add_tax(numeric, numeric) FROM PUBLIC;
GRANT USAGE, SELECT ON SEQUENCE billing.invoice_no TO PUBLIC;
