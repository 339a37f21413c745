"""DB writer: drains an SQS queue into PostgreSQL through RDS Proxy with IAM authentication.

Each SQS message body is the agnostic envelope
`{"operation": "<name>", "data": {...}, "idempotency_key": "<optional>"}` (the one a producer
calling SendMessage gives the webhook worker). Each record becomes one row of
`worker_records` (schema: modules/queue-worker/examples/rds-proxy/schema.sql), written with
`INSERT ... ON CONFLICT DO NOTHING` keyed by the envelope's idempotency key, else the SQS
messageId, because SQS delivers at least once. Malformed records and failed inserts are
reported in `batchItemFailures`; nothing is dropped. See README.md.
"""

from __future__ import annotations

import contextlib
import json
import os
import ssl
from pathlib import Path
from typing import Any

import pg8000.native
from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response

logger = Logger()  # service name from POWERTOOLS_SERVICE_NAME
processor = BatchProcessor(event_type=EventType.SQS)

IDEMPOTENCY_KEY_MAX = 256
APPLICATION_NAME = "storefirst-db-writer"  # shows in pg_stat_activity
INSERT = (
    "INSERT INTO worker_records (idempotency_key, operation, data, message_id)"
    " VALUES (:key, :operation, CAST(:data AS jsonb), :message_id)"
    " ON CONFLICT (idempotency_key) DO NOTHING"
)
# SQLSTATE classes after which the session is gone: 08 connection exception, 57P01-57P03
# admin shutdown / crash shutdown / cannot connect now (a proxy or server closing us).
_GONE_STATES = ("08", "57P01", "57P02", "57P03")

_connection: pg8000.native.Connection | None = None
_rds_client: Any = None


class MalformedRecord(ValueError):
    """The body is not the envelope: retrying cannot help (it reaches the DLQ)."""


def _max_connections() -> int:
    n = int(os.environ.get("DB_MAX_CONNECTIONS", "1"))
    # The writer holds one connection per execution environment; the example's connection
    # budget (budget.tf) multiplies maximum_concurrency by this number, so it must be >= 1.
    if n < 1:
        raise RuntimeError(f"DB_MAX_CONNECTIONS={n}: the writer needs one connection")
    return n


def _rds() -> Any:
    global _rds_client
    if _rds_client is None:
        import boto3  # runtime-provided; lazy so the cold import stays small

        _rds_client = boto3.client("rds")
    return _rds_client


def _ssl_context() -> ssl.SSLContext:
    """verify-full: the server's chain must lead to a trusted CA and its name must match DB_HOST.

    DB_CA_BUNDLE (a PEM file; a relative path is read from the function's folder, so a bundle
    shipped in the zip works) replaces the system trust store; unset, the system store is used.
    """
    ca = os.environ.get("DB_CA_BUNDLE", "").strip()
    if ca and not Path(ca).is_absolute():
        ca = str(Path(__file__).resolve().parent / ca)
    ctx = ssl.create_default_context(cafile=ca or None)  # CERT_REQUIRED + check_hostname
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    return ctx


def _connect() -> pg8000.native.Connection:
    host = os.environ["DB_HOST"]
    port = int(os.environ.get("DB_PORT", "5432"))
    user = os.environ["DB_USER"]
    # A fresh token for every connection: it is a local SigV4 presign, valid 15 minutes and
    # checked only when the connection authenticates ("Connecting to your DB instance using
    # IAM authentication", UsingWithRDS.IAMDBAuth.Connecting.html).
    token = _rds().generate_db_auth_token(
        DBHostname=host, Port=port, DBUsername=user, Region=os.environ.get("AWS_REGION")
    )
    return pg8000.native.Connection(
        user,
        host=host,
        port=port,
        database=os.environ["DB_NAME"],
        password=token,
        ssl_context=_ssl_context(),
        timeout=float(os.environ.get("DB_TIMEOUT_SECONDS", "10")),
        application_name=APPLICATION_NAME,
    )


def connection() -> pg8000.native.Connection:
    """The one connection of this execution environment, opened at first use."""
    global _connection
    if _connection is None:
        _max_connections()
        _connection = _connect()
        logger.info("connected", extra={"db_host": os.environ["DB_HOST"]})
    return _connection


def close() -> None:
    """Drop the connection (closed first, so two are never held at once)."""
    global _connection
    conn, _connection = _connection, None
    if conn is not None:
        with contextlib.suppress(Exception):  # already broken: nothing to close politely
            conn.close()


def _is_gone(exc: Exception) -> bool:
    if isinstance(exc, pg8000.exceptions.InterfaceError | OSError | ssl.SSLError):
        return not isinstance(exc, ssl.SSLCertVerificationError)
    if isinstance(exc, pg8000.exceptions.DatabaseError) and exc.args and isinstance(exc.args[0], dict):
        return str(exc.args[0].get("C", "")).startswith(_GONE_STATES)
    return False


def parse(body: str, message_id: str) -> dict[str, Any]:
    """The row of one record, or MalformedRecord."""
    try:
        envelope = json.loads(body)
    except (TypeError, ValueError) as e:
        raise MalformedRecord(f"body is not JSON: {e}") from None
    if not isinstance(envelope, dict):
        raise MalformedRecord("body is not a JSON object")
    operation, data = envelope.get("operation"), envelope.get("data")
    if not isinstance(operation, str) or not operation:
        raise MalformedRecord("operation must be a non-empty string")
    if not isinstance(data, dict):
        raise MalformedRecord("data must be a JSON object")
    key = envelope.get("idempotency_key", message_id)
    if not isinstance(key, str) or not key or len(key) > IDEMPOTENCY_KEY_MAX:
        raise MalformedRecord(f"idempotency_key must be a string of 1-{IDEMPOTENCY_KEY_MAX} characters")
    return {"key": key, "operation": operation, "data": json.dumps(data, sort_keys=True), "message_id": message_id}


def write(row: dict[str, Any]) -> bool:
    """Insert one row; True if stored now, False if the key was already there."""
    for attempt in (1, 2):
        conn = connection()
        try:
            conn.run(INSERT, **row)
            return conn.row_count == 1
        except Exception as e:
            if attempt == 1 and _is_gone(e):
                # The proxy or server closed the session (idle timeout, failover): reconnect
                # once with a new token and retry; the insert is idempotent, so a retry of a
                # write that did land inserts nothing.
                logger.warning("connection lost, reconnecting", extra={"error": repr(e)})
                close()
                continue
            if _is_gone(e):
                close()
            raise
    raise AssertionError("unreachable")


def record_handler(record) -> dict[str, Any]:
    row = parse(record.body, record.message_id)
    stored = write(row)
    logger.info("stored" if stored else "duplicate", extra={"idempotency_key": row["key"]})
    return {"stored": stored}


@logger.inject_lambda_context
def handler(event: dict, context) -> Any:
    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
