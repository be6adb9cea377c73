-- Default privileges (ALTER DEFAULT PRIVILEGES): whose, in which schema
-- (NULL: everywhere), for which kind of object ('r' tables, 'S'
-- sequences, 'f' functions, 'T' types, 'n' schemas), and the ACL. An
-- entry for all schemas holds the whole ACL that replaces the built-in
-- default; one for a schema holds only what it adds.
SELECT pg_catalog.pg_get_userbyid(a.defaclrole)::text, n.nspname, a.defaclobjtype::text, a.defaclacl::text[]
FROM pg_catalog.pg_default_acl a
LEFT JOIN pg_catalog.pg_namespace n ON n.oid = a.defaclnamespace
WHERE a.defaclnamespace = 0 OR {{user_schema n}}
