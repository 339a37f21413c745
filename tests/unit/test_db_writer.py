"""The DB writer (lambda_src/db_writer) against a real PostgreSQL server on loopback.

The server (Debian's postgresql-15, installed by `make postgresql`) runs in a session fixture:
TLS on with a certificate the fixture's own CA signs (made with `cryptography`), the handler
given that CA as DB_CA_BUNDLE, so verify-full is exercised for real. Non-TLS TCP is rejected
(as `rds.force_ssl` / the proxy's `require_tls` do). The writer's role uses `password` auth
(cleartext over TLS, what RDS Proxy asks IAM clients for); the fixture wraps botocore's real
`generate_db_auth_token` (a local presign) so each token minted also becomes the role's
password: a writer reusing an old token, or not sending it, fails to log in.
"""

from __future__ import annotations

import datetime
import importlib.util
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

from storefirst import build
from storefirst.lambda_events import FakeLambdaContext, sqs_record
from storefirst.terraform import REPO

pg8000 = pytest.importorskip("pg8000.native")

FN_DIR = REPO / "lambda_src" / "db_writer"
SCHEMA = REPO / "modules" / "queue-worker" / "examples" / "rds-proxy" / "schema.sql"
PG_BIN = Path(os.environ.get("STOREFIRST_PG_BIN", "/usr/lib/postgresql/15/bin"))
WRITER = "writer"
# What the writer needs, as schema.sql documents: INSERT, and SELECT on the conflict key
# (PostgreSQL checks it for ON CONFLICT (idempotency_key)).
SCHEMA_GRANT = "GRANT INSERT, SELECT (idempotency_key) ON worker_records TO {user}"


def _load():
    spec = importlib.util.spec_from_file_location("db_writer", FN_DIR / "db_writer.py")
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules["db_writer"] = mod
    spec.loader.exec_module(mod)
    return mod


# --- certificates ---------------------------------------------------------------------------


def _ca(name: str):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(True, False, False, False, False, True, True, False, False), critical=True)
        .sign(key, hashes.SHA256())
    )
    return key, cert


def _server_cert(ca_key, ca_cert, hostname: str):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hostname)]))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(hostname)]), critical=False)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    return key, cert


def _pem(obj) -> bytes:
    from cryptography.hazmat.primitives import serialization

    if hasattr(obj, "private_bytes"):
        return obj.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    return obj.public_bytes(serialization.Encoding.PEM)


# --- the server -----------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, root: Path, port: int, ca: Path, other_ca: Path):
        self.root, self.port, self.ca, self.other_ca = root, port, ca, other_ca
        self.socket_dir = root / "sock"

    def admin(self):
        return pg8000.Connection("postgres", unix_sock=str(self.socket_dir / f".s.PGSQL.{self.port}"), database="app")

    def writer_sessions(self) -> int:
        admin = self.admin()
        try:
            return admin.run("SELECT count(*) FROM pg_stat_activity WHERE usename = :u", u=WRITER)[0][0]
        finally:
            admin.close()


@pytest.fixture(scope="session")
def pg_server():
    if not (PG_BIN / "postgres").exists():
        why = f"no PostgreSQL server in {PG_BIN}: `make postgresql` installs Debian's postgresql-15"
        if os.environ.get("CI"):  # `make test` installs it: missing in CI is a broken setup, not a skip
            pytest.fail(why)
        pytest.skip(why)
    root = Path(tempfile.mkdtemp(prefix="storefirst-pg-"))
    # PostgreSQL refuses to run as root: as root, the server runs as the `postgres` account.
    as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    ca_key, ca_cert = _ca("storefirst test CA")
    key, cert = _server_cert(ca_key, ca_cert, "localhost")
    (root / "ca.pem").write_bytes(_pem(ca_cert))
    (root / "other-ca.pem").write_bytes(_pem(_ca("some other CA")[1]))
    (root / "server.crt").write_bytes(_pem(cert))
    (root / "server.key").write_bytes(_pem(key))
    (root / "server.key").chmod(0o600)
    (root / "sock").mkdir()
    (root / "pg_hba.conf").write_text(
        f"local all all trust\nhostssl all {WRITER} 127.0.0.1/32 password\nhostnossl all all 0.0.0.0/0 reject\n"
    )
    if as_user:
        shutil.chown(root, "postgres")
        for p in root.iterdir():
            shutil.chown(p, "postgres")
    data = root / "data"
    subprocess.run(
        [*as_user, str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "--no-sync", "-E", "UTF8"],
        check=True,
        capture_output=True,
    )
    port = _free_port()
    log = open(root / "server.log", "wb")  # noqa: SIM115 (open for the server's lifetime)
    proc = subprocess.Popen(
        [
            *as_user,
            str(PG_BIN / "postgres"),
            "-D",
            str(data),
            "-p",
            str(port),
            "-k",
            str(root / "sock"),
            "-c",
            "listen_addresses=127.0.0.1",
            "-c",
            f"hba_file={root / 'pg_hba.conf'}",
            "-c",
            "ssl=on",
            "-c",
            f"ssl_cert_file={root / 'server.crt'}",
            "-c",
            f"ssl_key_file={root / 'server.key'}",
            "-c",
            "fsync=off",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    server = Server(root, port, root / "ca.pem", root / "other-ca.pem")
    deadline = time.monotonic() + 20
    while True:
        try:
            c = pg8000.Connection("postgres", unix_sock=str(root / "sock" / f".s.PGSQL.{port}"))
            break
        except Exception:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError((root / "server.log").read_text()[-2000:]) from None
            time.sleep(0.1)
    c.run("CREATE DATABASE app")
    c.run(f"CREATE ROLE {WRITER} LOGIN")
    c.close()
    admin = server.admin()
    admin.run(SCHEMA.read_text())  # the example's schema, as its README says to apply it
    admin.run(SCHEMA_GRANT.format(user=WRITER))  # the grant the schema file documents
    admin.close()
    try:
        yield server
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()
        shutil.rmtree(root, ignore_errors=True)


class TokenMinter:
    """botocore's real generate_db_auth_token; each token minted becomes the role's password."""

    def __init__(self, server: Server):
        import boto3

        self.server = server
        self.real = boto3.client(
            "rds", region_name="eu-west-1", aws_access_key_id="AKIDTEST", aws_secret_access_key="secret"
        )
        self.calls: list[dict] = []

    def generate_db_auth_token(self, **kw):
        token = self.real.generate_db_auth_token(**kw)
        self.calls.append({**kw, "token": token})
        admin = self.server.admin()
        try:
            admin.run(f"ALTER ROLE {WRITER} PASSWORD {pg8000.literal(token)}")
        finally:
            admin.close()
        return token


@pytest.fixture
def writer(pg_server, monkeypatch):
    env = {
        "DB_HOST": "localhost",
        "DB_PORT": str(pg_server.port),
        "DB_NAME": "app",
        "DB_USER": WRITER,
        "DB_CA_BUNDLE": str(pg_server.ca),
        "DB_MAX_CONNECTIONS": "1",
        "AWS_REGION": "eu-west-1",
        "POWERTOOLS_SERVICE_NAME": "db-writer",
    }
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    mod = _load()
    minter = TokenMinter(pg_server)
    mod._rds_client = minter
    mod.minter = minter
    admin = pg_server.admin()
    admin.run("TRUNCATE worker_records")
    admin.close()
    yield mod
    mod.close()


def _event(*bodies, ids=None):
    ids = ids or [f"m-{i}" for i in range(len(bodies))]
    return {
        "Records": [
            sqs_record(b if isinstance(b, str) else json.dumps(b), message_id=m, route=None)
            for b, m in zip(bodies, ids, strict=True)
        ]
    }


def _rows(server: Server) -> list[tuple]:
    admin = server.admin()
    try:
        return [
            tuple(r)
            for r in admin.run("SELECT idempotency_key, operation, data, message_id FROM worker_records ORDER BY 1")
        ]
    finally:
        admin.close()


def _user(i: int) -> dict:
    return {"operation": "store-new-user", "data": {"id": f"U{i}", "email": f"u{i}@example.com"}}


# --- the tests ------------------------------------------------------------------------------


@pytest.mark.slow
def test_records_are_inserted_over_one_verified_tls_connection(writer, pg_server):
    out = writer.handler(_event(_user(1), {**_user(2), "idempotency_key": "k-2"}), FakeLambdaContext())
    assert out == {"batchItemFailures": []}
    assert _rows(pg_server) == [
        ("k-2", "store-new-user", {"id": "U2", "email": "u2@example.com"}, "m-1"),
        ("m-0", "store-new-user", {"id": "U1", "email": "u1@example.com"}, "m-0"),
    ]
    # One connection for the batch, one token, minted for the right endpoint and user.
    assert len(writer.minter.calls) == 1
    call = writer.minter.calls[0]
    assert (call["DBHostname"], call["Port"], call["DBUsername"], call["Region"]) == (
        "localhost",
        pg_server.port,
        WRITER,
        "eu-west-1",
    )
    assert "X-Amz-Signature=" in call["token"] and "Action=connect" in call["token"]
    assert pg_server.writer_sessions() == 1
    # TLS for real: the server sees this session as SSL.
    admin = pg_server.admin()
    ssl_on = admin.run(
        "SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.usename = :u", u=WRITER
    )
    admin.close()
    assert ssl_on == [[True]]


@pytest.mark.slow
def test_a_duplicate_delivery_inserts_nothing_new(writer, pg_server):
    event = _event(_user(1), {**_user(2), "idempotency_key": "k-2"})
    writer.handler(event, FakeLambdaContext())
    before = _rows(pg_server)
    # The same messages again (a redelivery), and a new message carrying a used key.
    again = writer.handler(event, FakeLambdaContext())
    resend = writer.handler(_event({**_user(9), "idempotency_key": "k-2"}, ids=["m-new"]), FakeLambdaContext())
    assert again == resend == {"batchItemFailures": []}
    assert _rows(pg_server) == before
    assert len(writer.minter.calls) == 1  # still the one connection


@pytest.mark.slow
def test_malformed_records_are_reported_and_the_rest_stored(writer, pg_server):
    bodies = [
        _user(1),
        "not json",
        {"operation": "", "data": {}},
        {"operation": "x", "data": [1]},
        {**_user(5), "idempotency_key": "k" * 257},
        _user(6),
    ]
    out = writer.handler(_event(*bodies), FakeLambdaContext())
    assert out == {"batchItemFailures": [{"itemIdentifier": f"m-{i}"} for i in (1, 2, 3, 4)]}
    assert [r[0] for r in _rows(pg_server)] == ["m-0", "m-5"]


@pytest.mark.slow
def test_a_failed_insert_is_reported_not_dropped(writer, pg_server):
    # PostgreSQL refuses a NUL character in jsonb text: the insert fails on the server.
    out = writer.handler(_event(_user(1), {"operation": "x", "data": {"v": "a\u0000b"}}), FakeLambdaContext())
    assert out == {"batchItemFailures": [{"itemIdentifier": "m-1"}]}
    assert [r[0] for r in _rows(pg_server)] == ["m-0"]
    assert pg_server.writer_sessions() == 1  # a statement error keeps the session


@pytest.mark.slow
def test_a_broken_connection_is_reopened_with_a_new_token(writer, pg_server):
    writer.handler(_event(_user(1)), FakeLambdaContext())
    assert len(writer.minter.calls) == 1
    # The old token stops working, and the server ends the session (as a proxy's idle
    # client timeout or a failover does).
    admin = pg_server.admin()
    admin.run(f"ALTER ROLE {WRITER} PASSWORD 'rotated-away'")
    admin.run("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = :u", u=WRITER)
    admin.close()
    out = writer.handler(_event(_user(2), _user(3), ids=["m-2", "m-3"]), FakeLambdaContext())
    assert out == {"batchItemFailures": []}
    assert [r[0] for r in _rows(pg_server)] == ["m-0", "m-2", "m-3"]
    assert len(writer.minter.calls) == 2  # one reconnect for the batch, with a new token
    assert pg_server.writer_sessions() == 1 <= int(os.environ["DB_MAX_CONNECTIONS"])


@pytest.mark.slow
def test_connections_never_exceed_db_max_connections(writer, pg_server):
    limit = int(os.environ["DB_MAX_CONNECTIONS"])
    admin = pg_server.admin()
    for batch in range(4):
        writer.handler(
            _event(*[_user(batch * 10 + i) for i in range(5)], ids=[f"b{batch}-{i}" for i in range(5)]),
            FakeLambdaContext(),
        )
        assert pg_server.writer_sessions() <= limit
        if batch == 1:
            admin.run("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = :u", u=WRITER)
    admin.close()
    assert len(_rows(pg_server)) == 20
    assert len(writer.minter.calls) == 2


@pytest.mark.slow
def test_a_server_certificate_from_another_ca_is_refused(writer, pg_server, monkeypatch):
    monkeypatch.setenv("DB_CA_BUNDLE", str(pg_server.other_ca))
    # Every record failed: Powertools raises (the webhook worker's convention too), so the
    # invocation errors and SQS returns the whole batch.
    with pytest.raises(BatchProcessingError, match="certificate verify failed: unable to get local issuer"):
        writer.handler(_event(_user(1)), FakeLambdaContext())
    assert _rows(pg_server) == []
    assert pg_server.writer_sessions() == 0


@pytest.mark.slow
def test_a_host_name_the_certificate_does_not_name_is_refused(writer, pg_server, monkeypatch):
    monkeypatch.setenv("DB_HOST", "127.0.0.1")  # reachable, but the certificate says localhost
    with pytest.raises(BatchProcessingError, match="certificate is not valid for '127.0.0.1'"):
        writer.handler(_event(_user(1)), FakeLambdaContext())
    assert _rows(pg_server) == []


def test_db_max_connections_below_one_is_refused(monkeypatch):
    monkeypatch.setenv("DB_MAX_CONNECTIONS", "0")
    mod = _load()
    with pytest.raises(RuntimeError, match="DB_MAX_CONNECTIONS"):
        mod.connection()


def test_zip_bundles_pg8000_and_leaves_out_what_the_runtime_provides(built_zips):
    names = zipfile.ZipFile(built_zips["db_writer"]).namelist()
    tops = {n.split("/")[0] for n in names}
    assert {"db_writer.py", "pg8000", "scramp", "asn1crypto"} <= tops
    assert not tops & {"dateutil", "six.py", "boto3", "botocore", "requirements.txt", "__pycache__"}, tops
    assert not any(n.endswith((".pyc", ".md")) for n in names)
    assert build.build("db_writer").read_bytes() == built_zips["db_writer"].read_bytes()  # deterministic
