CREATE TABLE public.a (id integer);
COMMENT ON TABLE public.a IS 'never closed;
CREATE TABLE public.b (id integer);
