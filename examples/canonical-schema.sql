-- The schema the code expects (what `pg_dump --schema-only` of a database
-- with every migration applied prints). docker-compose.yml mounts it at
-- /etc/driftwatch/canonical-schema.sql.
--
-- Migrations: 0001_users.sql, 0002_sessions.sql, 0003_add_pkce_required.sql.

CREATE TABLE public.users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL UNIQUE,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    "pkceRequired" boolean NOT NULL DEFAULT false
);

CREATE TABLE public.sessions (
    id uuid PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES public.users (id) ON DELETE CASCADE,
    expires_at timestamp with time zone NOT NULL
);

CREATE INDEX sessions_user_id_idx ON public.sessions (user_id);
