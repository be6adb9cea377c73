package checker

import (
	"strings"
	"testing"
)

// Hostile identifiers everywhere: reserved words, embedded quotes, unicode,
// spaces and dots, upper case, 63-byte names. Fix SQL must quote them and
// the report must show them as PostgreSQL would.
func TestAcceptanceIdentifiers(t *testing.T) {
	long := strings.Repeat("x", 60) + "_63" // 63 bytes, PostgreSQL's limit
	if len(long) != 63 {
		t.Fatalf("long name is %d bytes", len(long))
	}
	ddl := `CREATE SCHEMA "user";
CREATE SCHEMA "a""b";
CREATE SCHEMA "Ünïcødé";
CREATE SCHEMA "dot.ted schema";
CREATE TYPE "user"."select" AS ENUM ('from', 'it''s');
CREATE DOMAIN "a""b"."Dom ain" AS int CONSTRAINT "check" CHECK (VALUE > 0);
CREATE SEQUENCE "Ünïcødé"."seq.1";
CREATE TABLE "user"."order" (
	"user" int PRIMARY KEY,
	"a""b" text COLLATE "C" DEFAULT 'q"uote''s',
	"Ünïcødé" "user"."select",
	"with space" "a""b"."Dom ain",
	"table" int GENERATED ALWAYS AS IDENTITY,
	` + long + ` int CONSTRAINT "` + long + `" CHECK (` + long + ` > 0)
);
CREATE TABLE "a""b"."dot.ted" ("from" int REFERENCES "user"."order" ("user") ON DELETE CASCADE, "Group" text) PARTITION BY LIST ("Group");
CREATE TABLE "a""b"."dot.ted part" PARTITION OF "a""b"."dot.ted" FOR VALUES IN ('x', 'y');
CREATE UNIQUE INDEX "idx ""quoted""" ON "user"."order" (lower("a""b")) WHERE "user" > 0;
CREATE INDEX "Ünïcødé idx" ON "a""b"."dot.ted" ("from");
CREATE INDEX "` + long + `" ON "user"."order" ("` + long + `");
CREATE FUNCTION "Ünïcødé"."fn ""x"""("in" "user"."select", "a b" int) RETURNS text LANGUAGE sql AS $$ SELECT 'it''s' $$;
CREATE FUNCTION "user"."trg"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER "when" BEFORE INSERT ON "user"."order" FOR EACH ROW EXECUTE FUNCTION "user"."trg"();
CREATE VIEW "dot.ted schema"."view.v" AS SELECT "user", "a""b" FROM "user"."order";
ALTER TABLE "user"."order" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "all" ON "user"."order" USING ("user" > 0);
COMMENT ON TABLE "user"."order" IS 'it''s \ here';
`
	all := DiffOptions{Comments: true, Privileges: true}
	runAcceptance(t, []acceptanceCase{
		{name: "identical", canonical: ddl, live: ddl, opts: all},
		{name: "identical with column order", canonical: ddl, live: ddl, opts: DiffOptions{ColumnOrder: true}},
		{
			name:      "everything missing",
			canonical: ddl,
			live:      ``,
			opts:      all,
			want: []string{
				`missing constraint "a""b"."dot.ted"."dot.ted_from_fkey"`,
				`missing function "Ünïcødé"."fn ""x"""("in" "user"."select", "a b" integer)`,
				`missing function "user".trg()`,
				`missing schema "a""b"`,
				`missing schema "dot.ted schema"`,
				`missing schema "user"`,
				`missing schema "Ünïcødé"`,
				`missing sequence "Ünïcødé"."seq.1"`,
				`missing table "a""b"."dot.ted part"`,
				`missing table "a""b"."dot.ted"`,
				`missing table "user"."order"`,
				`missing type "a""b"."Dom ain"`,
				`missing type "user"."select"`,
				`missing view "dot.ted schema"."view.v"`,
			},
		},
		{
			name:      "everything unexpected",
			canonical: ``,
			live:      ddl,
			want:      []string{`unexpected schema "a""b"`, `unexpected schema "dot.ted schema"`, `unexpected schema "user"`, `unexpected schema "Ünïcødé"`},
		},
		{
			name:      "changed sub-objects of hostile tables",
			canonical: ddl,
			live: strings.NewReplacer(
				`"a""b" text COLLATE "C" DEFAULT 'q"uote''s'`, `"a""b" varchar(5)`,
				`CHECK (VALUE > 0)`, `CHECK (VALUE > 1)`,
				`WHERE "user" > 0`, `WHERE "user" > 1`,
				`ENUM ('from', 'it''s')`, `ENUM ('it''s')`,
				`BEFORE INSERT ON "user"."order"`, `AFTER INSERT ON "user"."order"`,
				`USING ("user" > 0)`, `USING (true)`,
				`ON DELETE CASCADE`, `ON DELETE SET NULL`,
			).Replace(ddl),
			want: []string{
				`changed column "user"."order"."a""b"`,
				`changed constraint "a""b"."dot.ted"."dot.ted_from_fkey"`,
				`changed index "user"."order"."idx ""quoted"""`,
				`changed policy "user"."order"."all"`,
				`changed trigger "user"."order"."when"`,
				`changed type "a""b"."Dom ain"`,
				`changed type "user"."select"`,
			},
		},
		{
			name:      "63-byte names missing",
			canonical: ddl,
			live:      strings.ReplaceAll(strings.ReplaceAll(ddl, `CREATE INDEX "`+long+`" ON "user"."order" ("`+long+`");`, ""), `CONSTRAINT "`+long+`" CHECK (`+long+` > 0)`, ""),
			want:      []string{`missing constraint "user"."order".` + long, `missing index "user"."order".` + long},
		},
		{
			name:      "hostile columns missing and unexpected",
			canonical: `CREATE TABLE "T" ("Col" int, "a.b" text, "x""y" int, "select" int);`,
			live:      `CREATE TABLE "T" ("col" int, "a b" text, "select" int);`,
			want: []string{`missing column public."T"."Col"`, `missing column public."T"."a.b"`, `missing column public."T"."x""y"`,
				`unexpected column public."T"."a b"`, `unexpected column public."T".col`},
		},
	})
}
