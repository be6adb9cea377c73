-- Must run after 2_add_name: it renames the column 2 added.
ALTER TABLE public.users RENAME COLUMN name TO display_name;
