-- Production as docker compose starts it: migrations 0001 and 0002 are
-- applied, 0003_add_pkce_required.sql is not. driftwatch reports the
-- missing column at start; apply the migration to see it resolve:
--
--   docker compose exec postgres psql -U postgres app \
--     -c 'ALTER TABLE users ADD COLUMN "pkceRequired" boolean NOT NULL DEFAULT false'

CREATE TABLE public.users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL UNIQUE,
    created_at timestamp with time zone NOT NULL DEFAULT now()
);

CREATE TABLE public.sessions (
    id uuid PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES public.users (id) ON DELETE CASCADE,
    expires_at timestamp with time zone NOT NULL
);

CREATE INDEX sessions_user_id_idx ON public.sessions (user_id);

INSERT INTO public.users (email) VALUES ('ada@example.com'), ('grace@example.com');
