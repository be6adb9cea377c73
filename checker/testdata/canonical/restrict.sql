--
-- PostgreSQL database dump
--

\restrict 4kQ7dWc0sF2bX9aTz1mE8rLh3VnYpJ6uGiKoBq5Ct

-- Dumped from database version 17.6
-- Dumped by pg_dump version 17.6

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET transaction_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

CREATE ROLE app_owner_that_must_not_be_created;
CREATE DATABASE driftwatch_must_not_exist;
ALTER SYSTEM SET work_mem = '1GB';
BEGIN;

CREATE SCHEMA app;

ALTER SCHEMA app OWNER TO driftwatch_no_such_role;

CREATE TYPE app.status AS ENUM (
    'new',
    'done'
);

ALTER TYPE app.status ADD VALUE 'archived';

CREATE FUNCTION app.label(s app.status) RETURNS text
    LANGUAGE sql IMMUTABLE
    BEGIN ATOMIC
 SELECT CASE s WHEN 'archived'::app.status THEN 'old; gone' ELSE 'current' END;
END;

CREATE FUNCTION app.touch() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  NEW.updated_at := now(); -- semicolons; inside a dollar quote
  RETURN NEW;
END;
$$;

SET default_tablespace = '';

CREATE TABLE app.tasks (
    id bigint NOT NULL,
    status app.status DEFAULT 'archived'::app.status NOT NULL,
    "Title;" text,
    updated_at timestamp with time zone
);

COMMENT ON TABLE app.tasks IS 'it''s a table; with E''\n'' inside';

CREATE TRIGGER tasks_touch BEFORE UPDATE ON app.tasks FOR EACH ROW EXECUTE FUNCTION app.touch();

CREATE INDEX CONCURRENTLY tasks_status_idx ON app.tasks USING btree (status);

GRANT SELECT ON TABLE app.tasks TO driftwatch_no_such_role;
COMMIT;

--
-- PostgreSQL database dump complete
--

\unrestrict 4kQ7dWc0sF2bX9aTz1mE8rLh3VnYpJ6uGiKoBq5Ct
