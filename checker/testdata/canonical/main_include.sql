CREATE SCHEMA inc;
\ir include/part.sql
CREATE TABLE inc.after (id integer REFERENCES inc.part);
