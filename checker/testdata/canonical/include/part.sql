CREATE TABLE inc.part (id integer PRIMARY KEY);
