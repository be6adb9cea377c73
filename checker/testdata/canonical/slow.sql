CREATE TABLE public.a (id integer);
SELECT pg_catalog.pg_sleep(60);
CREATE TABLE public.b (id integer);
