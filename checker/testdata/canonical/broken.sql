\restrict k
SELECT pg_catalog.set_config('search_path', '', false);

CREATE TABLE public.a (id integer);

CREATE VIEW public.v AS
    SELECT id
    FROM public.no_such_table;

CREATE TABLE public.b (id integer);
\unrestrict k
