ALTER TABLE public.users ADD COLUMN name text;
