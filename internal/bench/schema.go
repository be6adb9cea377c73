package bench

import "fmt"

// SchemaSQL returns the statements that create n tables with mixed column
// types, a primary key, a foreign key to the previous table, two indexes
// each (one partial), a view every 10 tables, a function and a trigger
// every 50, and two enums. The last statement commits every 500 tables so
// lock tables stay small: send it alone, not in a transaction block.
func SchemaSQL(n int) []string {
	return []string{`CREATE TYPE status AS ENUM ('new', 'active', 'closed');
CREATE TYPE prio AS ENUM ('low', 'high');
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN NEW.created_at := now(); RETURN NEW; END $f$;`,
		fmt.Sprintf(`DO $do$
DECLARE i int;
BEGIN
  FOR i IN 1..%d LOOP
    EXECUTE format('CREATE TABLE t_%%s (id bigserial PRIMARY KEY, name text NOT NULL, email varchar(255), created_at timestamptz DEFAULT now(), amount numeric(12,2), status status DEFAULT %%L, data jsonb, flag boolean DEFAULT false, parent_id bigint %%s)',
      i, 'new', CASE WHEN i > 1 THEN format('REFERENCES t_%%s(id)', i - 1) ELSE '' END);
    EXECUTE format('CREATE INDEX ON t_%%s (name)', i);
    EXECUTE format('CREATE INDEX ON t_%%s (created_at) WHERE flag', i);
    IF i %% 10 = 0 THEN
      EXECUTE format('CREATE VIEW v_%%s AS SELECT id, name, status FROM t_%%s WHERE flag', i, i);
    END IF;
    IF i %% 50 = 0 THEN
      EXECUTE format('CREATE FUNCTION f_%%s(x int) RETURNS int LANGUAGE sql IMMUTABLE AS %%L', i, 'SELECT x + 1');
      EXECUTE format('CREATE TRIGGER touch_%%s BEFORE UPDATE ON t_%%s FOR EACH ROW EXECUTE FUNCTION touch()', i, i);
    END IF;
    IF i %% 500 = 0 THEN COMMIT; END IF;
  END LOOP;
END $do$`, n)}
}
