CREATE VIEW public.user_names AS SELECT id, display_name FROM public.users;
