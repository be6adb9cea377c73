-- +goose Up
CREATE INDEX users_email_idx ON public.users (email);
-- +goose Down
DROP INDEX public.users_email_idx;
