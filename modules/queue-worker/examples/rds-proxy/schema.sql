-- The table lambda_src/db_writer writes (one row per applied SQS record). Run once by the
-- database owner before the worker gets traffic, e.g. psql -f schema.sql; the writer itself
-- only INSERTs (it needs no DDL grant). tests/unit/test_db_writer.py applies this file.
CREATE TABLE IF NOT EXISTS worker_records (
    -- the envelope's idempotency_key, else the SQS messageId: a redelivery inserts nothing
    idempotency_key text PRIMARY KEY CHECK (length(idempotency_key) BETWEEN 1 AND 256),
    operation       text        NOT NULL,
    data            jsonb       NOT NULL,
    message_id      text        NOT NULL,
    stored_at       timestamptz NOT NULL DEFAULT now()
);

-- The writer's grant (its user is var.db_username; replace writer_user):
-- GRANT INSERT, SELECT (idempotency_key) ON worker_records TO writer_user;
-- SELECT on the key: PostgreSQL checks it for ON CONFLICT (idempotency_key).
