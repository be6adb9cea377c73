DROP VIEW public.user_names;
