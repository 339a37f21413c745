"""The origin-verify Lambda REQUEST authorizer (lambda_src/origin_verify) against moto: payload
format 2.0 events as API Gateway sends them to an HTTP API Lambda authorizer, simple responses."""

from __future__ import annotations

import importlib.util
import sys
import zipfile

import boto3
import pytest
from moto import mock_aws

from storefirst.lambda_events import ACCOUNT, REGION
from storefirst.terraform import REPO

SHARED = str(REPO / "lambda_src" / "shared")
if SHARED not in sys.path:
    sys.path.insert(0, SHARED)

SECRET = "s3cr3t-0123456789abcdefghijklmnopqrstuvwxyz"
OLD_SECRET = "old-0123456789abcdefghijklmnopqrstuvwxyzABCD"
ENV = ("SECRET_ORIGIN_VERIFY_ARN", "SECRET_ORIGIN_VERIFY_PREVIOUS_ARN", "ORIGIN_VERIFY_HEADER")


def event(headers: dict | None = None) -> dict:
    """An HTTP API Lambda authorizer event, payload format 2.0 (route POST /webhook)."""
    headers = {} if headers is None else headers
    return {
        "version": "2.0",
        "type": "REQUEST",
        "routeArn": f"arn:aws:execute-api:{REGION}:{ACCOUNT}:a1b2c3d4e5/$default/POST/webhook",
        "identitySource": [v for k, v in headers.items() if k.lower() == "x-origin-verify"],
        "routeKey": "POST /webhook",
        "rawPath": "/webhook",
        "rawQueryString": "",
        "headers": headers,
        "requestContext": {
            "accountId": ACCOUNT,
            "apiId": "a1b2c3d4e5",
            "domainName": "a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com",
            "http": {"method": "POST", "path": "/webhook", "protocol": "HTTP/1.1", "sourceIp": "203.0.113.7", "userAgent": "curl"},
            "requestId": "Yz8mQhEbIAMEV-w=",
            "routeKey": "POST /webhook",
            "stage": "$default",
        },
    }


def _clear_parameter_caches() -> None:
    from aws_lambda_powertools.utilities import parameters
    from aws_lambda_powertools.utilities.parameters import base

    parameters.clear_caches()
    base.DEFAULT_PROVIDERS.clear()  # providers hold boto3 clients made outside this moto mock


def load():
    """Import the handler module afresh (the secret read happens at import, as at a cold start)."""
    spec = importlib.util.spec_from_file_location("origin_verify_under_test", REPO / "lambda_src" / "origin_verify" / "origin_verify.py")
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture
def aws(monkeypatch, plain_moto):
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    for var in ENV:
        monkeypatch.delenv(var, raising=False)
    with mock_aws():
        _clear_parameter_caches()
        yield boto3.client("ssm", region_name=REGION), boto3.client("secretsmanager", region_name=REGION)
        _clear_parameter_caches()


def _ssm_secret(ssm, monkeypatch, name: str, value: str, env: str = "SECRET_ORIGIN_VERIFY_ARN") -> None:
    ssm.put_parameter(Name=name, Value=value, Type="SecureString")
    monkeypatch.setenv(env, f"arn:aws:ssm:{REGION}:{ACCOUNT}:parameter{name}")


def test_without_a_configured_secret_every_request_is_denied(aws, capsys):
    ov = load()
    assert ov.handler(event({"x-origin-verify": SECRET}), None) == {"isAuthorized": False}
    assert ov.handler(event({"x-origin-verify": ""}), None) == {"isAuthorized": False}
    assert "no secret configured" in capsys.readouterr().out


def test_ssm_secret_read_at_init_right_wrong_and_missing_header(aws, monkeypatch, capsys):
    ssm, _ = aws
    _ssm_secret(ssm, monkeypatch, "/storefirst/dev/origin-verify", SECRET)
    ov = load()
    # Read at init and cached: the parameter's deletion is not seen within max_age.
    ssm.delete_parameter(Name="/storefirst/dev/origin-verify")
    assert ov.handler(event({"x-origin-verify": SECRET}), None) == {"isAuthorized": True}
    assert ov.handler(event({"X-Origin-Verify": SECRET}), None) == {"isAuthorized": True}  # any case
    assert ov.handler(event({"x-origin-verify": SECRET + "x"}), None) == {"isAuthorized": False}
    assert ov.handler(event({"x-origin-verify": SECRET[:-1]}), None) == {"isAuthorized": False}
    assert ov.handler(event({"x-origin-verify": ""}), None) == {"isAuthorized": False}
    assert ov.handler(event({}), None) == {"isAuthorized": False}
    assert ov.handler(event({"x-other": SECRET}), None) == {"isAuthorized": False}
    # A duplicated header arrives comma-joined in payload 2.0: not the secret, so denied.
    assert ov.handler(event({"x-origin-verify": f"{SECRET},{SECRET}"}), None) == {"isAuthorized": False}
    out = capsys.readouterr().out
    assert "header value does not match" in out and "header missing" in out
    assert SECRET[:12] not in out  # neither the secret nor what was sent is logged


def test_secrets_manager_current_and_previous_both_accepted_during_rotation(aws, monkeypatch, capsys):
    _, sm = aws
    cur = sm.create_secret(Name="storefirst/dev/origin-verify", SecretString=SECRET + "\n")["ARN"]
    old = sm.create_secret(Name="storefirst/dev/origin-verify-previous", SecretString=OLD_SECRET)["ARN"]
    monkeypatch.setenv("SECRET_ORIGIN_VERIFY_ARN", cur)
    monkeypatch.setenv("SECRET_ORIGIN_VERIFY_PREVIOUS_ARN", old)
    ov = load()
    assert ov.handler(event({"x-origin-verify": SECRET}), None) == {"isAuthorized": True}  # stored newline ignored
    assert ov.handler(event({"x-origin-verify": OLD_SECRET}), None) == {"isAuthorized": True}
    assert ov.handler(event({"x-origin-verify": "neither-0123456789abcdefghijklmnopqrstuvw"}), None) == {"isAuthorized": False}
    out = capsys.readouterr().out
    assert SECRET[:12] not in out and OLD_SECRET[:12] not in out


def test_comparison_is_constant_time_and_checks_every_value(aws, monkeypatch):
    ssm, _ = aws
    _ssm_secret(ssm, monkeypatch, "/ov/current", SECRET)
    _ssm_secret(ssm, monkeypatch, "/ov/previous", OLD_SECRET, env="SECRET_ORIGIN_VERIFY_PREVIOUS_ARN")
    ov = load()
    calls = []
    real = ov.hmac.compare_digest

    def spy(a, b):
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(ov.hmac, "compare_digest", spy)
    assert ov.handler(event({"x-origin-verify": SECRET}), None) == {"isAuthorized": True}
    # Both accepted values compared, even though the first already matched.
    assert [b for _, b in calls] == [SECRET.encode(), OLD_SECRET.encode()]


def test_header_name_is_configurable(aws, monkeypatch):
    ssm, _ = aws
    _ssm_secret(ssm, monkeypatch, "/ov/current", SECRET)
    monkeypatch.setenv("ORIGIN_VERIFY_HEADER", "X-From-Edge")
    ov = load()
    assert ov.handler(event({"x-from-edge": SECRET}), None) == {"isAuthorized": True}
    assert ov.handler(event({"x-origin-verify": SECRET}), None) == {"isAuthorized": False}


def test_unreadable_secret_fails_the_cold_start(aws, monkeypatch):
    """API Gateway then answers 500 (authorizer error): the request is never let through."""
    monkeypatch.setenv("SECRET_ORIGIN_VERIFY_ARN", f"arn:aws:ssm:{REGION}:{ACCOUNT}:parameter/absent")
    with pytest.raises(Exception, match="absent|ParameterNotFound|GetParameter"):
        load()


def test_zip_bundles_only_the_handler_and_function_secrets(built_zips):
    with zipfile.ZipFile(built_zips["origin_verify"]) as zf:
        assert sorted(zf.namelist()) == ["function_secrets/__init__.py", "origin_verify.py"]
