package checker

import "testing"

// Constraints: primary key, unique, check, foreign key (with actions,
// deferrable, NOT VALID), exclusion.
func TestAcceptanceConstraints(t *testing.T) {
	const tables = `CREATE TABLE users (id int NOT NULL, email text, age int);
CREATE TABLE orders (id int NOT NULL, user_id int, total numeric, during tsrange);
`
	const every = tables + `
ALTER TABLE users ADD PRIMARY KEY (id);
ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE users ADD CONSTRAINT adult CHECK (age >= 18) NOT VALID;
ALTER TABLE orders ADD PRIMARY KEY (id);
ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE ON UPDATE SET NULL;
ALTER TABLE orders ADD CONSTRAINT positive CHECK (total > 0);
ALTER TABLE orders ADD CONSTRAINT no_overlap EXCLUDE USING gist (during WITH &&);
`
	runAcceptance(t, []acceptanceCase{
		{name: "identical", canonical: every, live: every},
		{
			name:      "missing primary key and unique",
			canonical: tables + `ALTER TABLE users ADD PRIMARY KEY (id); ALTER TABLE users ADD UNIQUE (email);`,
			live:      tables,
			want:      []string{"missing constraint public.users.users_email_key", "missing constraint public.users.users_pkey"},
			severity:  Critical,
		},
		{
			name:      "unexpected check and unique",
			canonical: tables,
			live:      tables + `ALTER TABLE users ADD CHECK (age > 0); ALTER TABLE users ADD UNIQUE (email, age);`,
			want:      []string{"unexpected constraint public.users.users_age_check", "unexpected constraint public.users.users_email_age_key"},
			severity:  Warning,
		},
		{
			name:      "check expression changed",
			canonical: tables + `ALTER TABLE users ADD CONSTRAINT adult CHECK (age >= 18);`,
			live:      tables + `ALTER TABLE users ADD CONSTRAINT adult CHECK (age >= 21);`,
			want:      []string{"changed constraint public.users.adult"},
			severity:  Critical,
		},
		{
			name:      "foreign key and the key it references both missing",
			canonical: tables + `ALTER TABLE users ADD PRIMARY KEY (id); ALTER TABLE orders ADD FOREIGN KEY (user_id) REFERENCES users (id);`,
			live:      tables,
			want:      []string{"missing constraint public.orders.orders_user_id_fkey", "missing constraint public.users.users_pkey"},
		},
		{
			name:      "foreign key on delete action",
			canonical: tables + `ALTER TABLE users ADD PRIMARY KEY (id); ALTER TABLE orders ADD FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE;`,
			live:      tables + `ALTER TABLE users ADD PRIMARY KEY (id); ALTER TABLE orders ADD FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE RESTRICT;`,
			want:      []string{"changed constraint public.orders.orders_user_id_fkey"},
		},
		{
			name:      "foreign key not valid",
			canonical: tables + `ALTER TABLE users ADD PRIMARY KEY (id); ALTER TABLE orders ADD FOREIGN KEY (user_id) REFERENCES users (id);`,
			live:      tables + `ALTER TABLE users ADD PRIMARY KEY (id); ALTER TABLE orders ADD FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;`,
			want:      []string{"changed constraint public.orders.orders_user_id_fkey"},
		},
		{
			name:      "deferrable",
			canonical: tables + `ALTER TABLE users ADD CONSTRAINT u UNIQUE (email) DEFERRABLE INITIALLY DEFERRED;`,
			live:      tables + `ALTER TABLE users ADD CONSTRAINT u UNIQUE (email) DEFERRABLE;`,
			want:      []string{"changed constraint public.users.u"},
		},
		{
			name:      "primary key referenced by a foreign key changes",
			canonical: tables + `ALTER TABLE users ALTER email SET NOT NULL; ALTER TABLE users ADD PRIMARY KEY (id, email); ALTER TABLE orders ADD COLUMN email text; ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id, email) REFERENCES users (id, email);`,
			live:      tables + `ALTER TABLE users ALTER email SET NOT NULL; ALTER TABLE users ADD PRIMARY KEY (id); ALTER TABLE orders ADD COLUMN email text; ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id);`,
			want:      []string{"changed constraint public.orders.fk", "changed constraint public.users.users_pkey"},
		},
		{
			name:      "exclusion",
			canonical: tables + `ALTER TABLE orders ADD CONSTRAINT no_overlap EXCLUDE USING gist (during WITH &&);`,
			live:      tables,
			want:      []string{"missing constraint public.orders.no_overlap"},
		},
		{
			name: "constraints of a partitioned table",
			canonical: `CREATE TABLE p (id int NOT NULL, at date NOT NULL, v int, PRIMARY KEY (id, at), CHECK (v > 0)) PARTITION BY RANGE (at);
CREATE TABLE p_1 PARTITION OF p FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE r (id int PRIMARY KEY);`,
			live: `CREATE TABLE p (id int NOT NULL, at date NOT NULL, v int, CHECK (v > 1)) PARTITION BY RANGE (at);
CREATE TABLE p_1 PARTITION OF p FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE r (id int PRIMARY KEY);
ALTER TABLE p ADD FOREIGN KEY (v) REFERENCES r (id);`,
			want: []string{"changed constraint public.p.p_v_check", "missing constraint public.p.p_pkey", "unexpected constraint public.p.p_v_fkey"},
		},
		{
			// The foreign key to a partitioned table has a clone on its own
			// table per partition of the referenced one; they come with it.
			name: "missing foreign key to a partitioned table",
			canonical: `CREATE TABLE acct (region text NOT NULL, id int NOT NULL, PRIMARY KEY (region, id)) PARTITION BY LIST (region);
CREATE TABLE acct_eu PARTITION OF acct FOR VALUES IN ('eu');
CREATE TABLE acct_us PARTITION OF acct FOR VALUES IN ('us');
CREATE TABLE ledger (region text, acct_id int, CONSTRAINT ledger_acct FOREIGN KEY (region, acct_id) REFERENCES acct (region, id));`,
			live: `CREATE TABLE acct (region text NOT NULL, id int NOT NULL, PRIMARY KEY (region, id)) PARTITION BY LIST (region);
CREATE TABLE acct_eu PARTITION OF acct FOR VALUES IN ('eu');
CREATE TABLE acct_us PARTITION OF acct FOR VALUES IN ('us');
CREATE TABLE ledger (region text, acct_id int);`,
			want: []string{"missing constraint public.ledger.ledger_acct"},
		},
		{
			// The old key column becomes nullable: the old key must go
			// before DROP NOT NULL, the new one comes after the columns.
			name:      "primary key moves to another column",
			canonical: `CREATE TABLE sku (id int UNIQUE, code text PRIMARY KEY);`,
			live:      `CREATE TABLE sku (id int PRIMARY KEY, code text);`,
			want: []string{"changed column public.sku.code", "changed column public.sku.id", "changed constraint public.sku.sku_pkey",
				"missing constraint public.sku.sku_id_key"},
		},
		{
			name:      "check constraint inherited by a child table",
			canonical: `CREATE TABLE base (v int CHECK (v > 0)); CREATE TABLE child (w int) INHERITS (base);`,
			live:      `CREATE TABLE base (v int CHECK (v > 5)); CREATE TABLE child (w int) INHERITS (base);`,
			want:      []string{"changed constraint public.base.base_v_check"},
		},
		{
			// Dropping the column drops the key with it, but not the
			// foreign key that uses the key: that one goes first.
			name:      "foreign key to a key whose column is dropped",
			canonical: `CREATE TABLE region (code text PRIMARY KEY); CREATE TABLE shop (code text, CONSTRAINT shop_region FOREIGN KEY (code) REFERENCES region);`,
			live: `CREATE TABLE region (code text, zone text, PRIMARY KEY (code, zone));
CREATE TABLE shop (code text, zone text, CONSTRAINT shop_region FOREIGN KEY (code, zone) REFERENCES region);`,
			want: []string{"changed constraint public.region.region_pkey", "changed constraint public.shop.shop_region",
				"unexpected column public.region.zone", "unexpected column public.shop.zone"},
		},
	})
}

// An IN list over a varchar column prints as a cast of the whole array;
// a dump of it reads back with the cast on each element. The two are the
// same check, index predicate and view.
func TestAcceptanceInListOverVarchar(t *testing.T) {
	const base = `CREATE DOMAIN code AS varchar(4);
CREATE TABLE parcels (state varchar(10), kind code);
`
	runAcceptance(t, []acceptanceCase{
		{
			name: "in list as written and as dumped",
			canonical: base + `ALTER TABLE parcels ADD CONSTRAINT state_ok CHECK (((state)::text = ANY (ARRAY[('new'::character varying)::text, ('sent'::character varying)::text])));
ALTER TABLE parcels ADD CONSTRAINT kind_ok CHECK (((kind)::text = ANY (ARRAY[('a'::character varying)::text, ('b'::character varying)::text])));
CREATE INDEX parcels_open ON parcels (state) WHERE ((state)::text = ANY (ARRAY[('new'::character varying)::text, ('sent'::character varying)::text]));
CREATE VIEW open_parcels AS SELECT state FROM parcels WHERE ((state)::text = ANY (ARRAY[('new'::character varying)::text, ('sent'::character varying)::text]));
`,
			live: base + `ALTER TABLE parcels ADD CONSTRAINT state_ok CHECK (state IN ('new', 'sent'));
ALTER TABLE parcels ADD CONSTRAINT kind_ok CHECK (kind IN ('a', 'b'));
CREATE INDEX parcels_open ON parcels (state) WHERE state IN ('new', 'sent');
CREATE VIEW open_parcels AS SELECT state FROM parcels WHERE state IN ('new', 'sent');
`,
		},
		{
			name:      "in list in a generated column as written and as dumped",
			canonical: base + `ALTER TABLE parcels ADD COLUMN open boolean GENERATED ALWAYS AS (((state)::text = ANY (ARRAY[('new'::character varying)::text, ('sent'::character varying)::text]))) STORED;`,
			live:      base + `ALTER TABLE parcels ADD COLUMN open boolean GENERATED ALWAYS AS (state IN ('new', 'sent')) STORED;`,
		},
		{
			name:      "in list in a statistics expression as written and as dumped",
			canonical: base + `CREATE STATISTICS parcels_stats ON kind, ((state)::text = ANY (ARRAY[('new'::character varying)::text, ('sent'::character varying)::text])) FROM parcels;`,
			live:      base + `CREATE STATISTICS parcels_stats ON kind, (state IN ('new', 'sent')) FROM parcels;`,
		},
		{
			name:      "in list with another value",
			canonical: base + `ALTER TABLE parcels ADD CONSTRAINT state_ok CHECK (state IN ('new', 'sent'));`,
			live:      base + `ALTER TABLE parcels ADD CONSTRAINT state_ok CHECK (state IN ('new', 'lost'));`,
			want:      []string{"changed constraint public.parcels.state_ok"},
		},
	})
}
