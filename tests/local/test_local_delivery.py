"""Service-to-service behaviours of the emulator and gateway that the claim-check, event and
stream patterns rely on, against the embedded emulator (no Terraform): S3 notification
destinations validated and delivered only as the queue policy allows, the s3:TestEvent,
EventBridge -> SQS only for the rule the queue policy names, bucket policy conditions, the
REST S3 path integration, the 10 MB REST payload quota, PutEvents / PutRecord authorization."""

from __future__ import annotations

import json
import uuid

import pytest
from botocore.exceptions import ClientError

from apigw_fixtures import TRUST_APIGW, http_api, rest_api
from storefirst.local.apigw.http.chain import HttpChain
from storefirst.local.apigw.http.integrate import Integrations
from storefirst.local.apigw.http.model import Route
from storefirst.local.apigw.iam import Policies
from storefirst.local.apigw.rest.executor import RestExecutor
from storefirst.local.apigw.rest.integrate import EmulatorTransport, RestIntegrations
from storefirst.local.emulator import ACCOUNT

REGION = "eu-west-1"


def _queue(emulator, name: str, statements: list[dict] | None = None) -> tuple[str, str]:
    sqs = emulator.client("sqs")
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    if statements is not None:
        stmts = [{**s, "Resource": arn} for s in statements]
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps({"Version": "2012-10-17", "Statement": stmts})})
    return url, arn


def _bodies(emulator, url: str) -> list[dict]:
    got = emulator.client("sqs").receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0)
    return [json.loads(m["Body"]) for m in got.get("Messages", [])]


def _s3_statement(bucket: str) -> dict:
    return {"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "sqs:SendMessage",
            "Condition": {"ArnEquals": {"aws:SourceArn": f"arn:aws:s3:::{bucket}"},
                          "StringEquals": {"aws:SourceAccount": ACCOUNT}}}


def _bucket(emulator, name: str) -> None:
    emulator.client("s3").create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})


def _notify(emulator, bucket: str, queue_arn: str) -> None:
    emulator.client("s3").put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration={
        "QueueConfigurations": [{"Id": "cc", "QueueArn": queue_arn, "Events": ["s3:ObjectCreated:Put"]}]})


# --- S3 -> SQS ------------------------------------------------------------------------------

def test_s3_refuses_a_destination_whose_policy_names_another_bucket(emulator):
    sfx = uuid.uuid4().hex[:6]
    bucket = f"dl-other-{sfx}"
    _bucket(emulator, bucket)
    _url, arn = _queue(emulator, f"dl-other-{sfx}", [_s3_statement("some-other-bucket")])
    with pytest.raises(ClientError) as err:
        _notify(emulator, bucket, arn)
    assert err.value.response["Error"]["Code"] == "InvalidArgument"
    assert "Unable to validate the following destination configurations" in err.value.response["Error"]["Message"]


def test_s3_sends_a_test_event_then_one_event_per_object(emulator):
    sfx = uuid.uuid4().hex[:6]
    bucket = f"dl-ok-{sfx}"
    _bucket(emulator, bucket)
    url, arn = _queue(emulator, f"dl-ok-{sfx}", [_s3_statement(bucket)])
    _notify(emulator, bucket, arn)
    (test_event,) = _bodies(emulator, url)
    assert test_event["Service"] == "Amazon S3" and test_event["Event"] == "s3:TestEvent" and test_event["Bucket"] == bucket
    emulator.client("s3").put_object(Bucket=bucket, Key="incoming/a b", Body=b"{}")
    (event,) = _bodies(emulator, url)
    rec = event["Records"][0]
    assert rec["eventSource"] == "aws:s3" and rec["eventName"] == "ObjectCreated:Put"
    # Keys are URL-encoded (form encoding); whether '/' is encoded is not documented, so the
    # worker decodes with unquote_plus, which reads both forms.
    import urllib.parse

    assert rec["s3"]["bucket"]["name"] == bucket and "+" in rec["s3"]["object"]["key"]
    assert urllib.parse.unquote_plus(rec["s3"]["object"]["key"]) == "incoming/a b"


def test_an_event_is_dropped_once_the_queue_policy_no_longer_allows_the_bucket(emulator):
    sfx = uuid.uuid4().hex[:6]
    bucket = f"dl-revoked-{sfx}"
    _bucket(emulator, bucket)
    url, arn = _queue(emulator, f"dl-revoked-{sfx}", [_s3_statement(bucket)])
    _notify(emulator, bucket, arn)
    _bodies(emulator, url)  # the test event
    emulator.client("sqs").set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps(
        {"Version": "2012-10-17", "Statement": [{**_s3_statement("another"), "Resource": arn}]})})
    emulator.client("s3").put_object(Bucket=bucket, Key="incoming/x", Body=b"{}")
    assert _bodies(emulator, url) == []


def test_a_tls_only_bucket_policy_does_not_deny_tls_clients_but_a_plain_deny_does(emulator):
    sfx = uuid.uuid4().hex[:6]
    bucket = f"dl-tls-{sfx}"
    _bucket(emulator, bucket)
    s3 = emulator.client("s3")
    tls_only = {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
                "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({"Version": "2012-10-17", "Statement": [tls_only]}))
    s3.put_object(Bucket=bucket, Key="k", Body=b"1")
    deny_all = {**tls_only, "Sid": "DenyAll"}
    deny_all.pop("Condition")
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({"Version": "2012-10-17", "Statement": [deny_all]}))
    with pytest.raises(ClientError):
        s3.put_object(Bucket=bucket, Key="k2", Body=b"1")


# --- EventBridge -> SQS ---------------------------------------------------------------------

def test_eventbridge_delivers_only_to_the_queue_whose_policy_names_the_rule(emulator):
    sfx = uuid.uuid4().hex[:6]
    events = emulator.client("events")
    bus = f"dl-bus-{sfx}"
    events.create_event_bus(Name=bus)
    rule_arn = events.put_rule(Name=f"r-{sfx}", EventBusName=bus, EventPattern=json.dumps({"source": ["t.src"]}))["RuleArn"]
    allowed_url, allowed_arn = _queue(emulator, f"dl-ev-ok-{sfx}", [{
        "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Action": "sqs:SendMessage",
        "Condition": {"ArnEquals": {"aws:SourceArn": rule_arn}}}])
    other_url, other_arn = _queue(emulator, f"dl-ev-no-{sfx}", [{
        "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Action": "sqs:SendMessage",
        "Condition": {"ArnEquals": {"aws:SourceArn": rule_arn + "-other"}}}])
    events.put_targets(Rule=f"r-{sfx}", EventBusName=bus, Targets=[{"Id": "a", "Arn": allowed_arn}, {"Id": "b", "Arn": other_arn}])
    events.put_events(Entries=[{"Source": "t.src", "DetailType": "T", "Detail": '{"n": 1}', "EventBusName": bus}])
    (ev,) = _bodies(emulator, allowed_url)
    assert ev["detail"] == {"n": 1} and ev["source"] == "t.src"
    assert _bodies(emulator, other_url) == []


# --- REST S3 path integration and the payload quota -----------------------------------------

@pytest.fixture(scope="module")
def s3_route(emulator):
    sfx = uuid.uuid4().hex[:6]
    bucket = f"dl-put-{sfx}"
    _bucket(emulator, bucket)
    iam = emulator.client("iam")
    roles = {}
    for name, resource in (("ok", f"arn:aws:s3:::{bucket}/incoming/*"), ("elsewhere", f"arn:aws:s3:::{bucket}/other/*")):
        rn = f"dl-put-{name}-{sfx}"
        roles[name] = iam.create_role(RoleName=rn, AssumeRolePolicyDocument=json.dumps(TRUST_APIGW))["Role"]["Arn"]
        iam.put_role_policy(RoleName=rn, PolicyName="p", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:PutObject", "Resource": resource}]}))

    def run(role: str, body: bytes, headers: dict | None = None):
        integ = {"type": "AWS", "httpMethod": "PUT", "credentials": roles[role],
                 "uri": f"arn:aws:apigateway:{REGION}:s3:path/{bucket}/incoming/{{object}}",
                 "passthroughBehavior": "WHEN_NO_TEMPLATES",
                 "requestParameters": {"integration.request.path.object": "context.requestId",
                                       "integration.request.header.x-amz-meta-request-id": "context.requestId",
                                       "integration.request.header.x-amz-meta-sig": "method.request.header.X-Sig"},
                 "integrationResponses": {"202": {"statusCode": "202", "responseTemplates": {
                     "application/json": '{"request_id":"$context.requestId"}'}},
                     "500": {"statusCode": "500", "selectionPattern": "4\\d{2}"}}}
        api = rest_api(integ, path="/webhook", gateway_responses={"DEFAULT_4XX": {
            "responseType": "DEFAULT_4XX", "statusCode": "400", "responseTemplates": {"application/json": '{"custom":true}'}}})
        ex = RestExecutor(RestIntegrations(EmulatorTransport(emulator.url, emulator.region), Policies(emulator.client),
                                           emulator.client))
        return ex.execute(api, "POST", "/v1/webhook", {"content-type": "application/json", **(headers or {})}, body)

    return bucket, run


def test_the_s3_path_integration_stores_the_body_byte_for_byte_keyed_by_request_id(emulator, s3_route):
    bucket, run = s3_route
    body = b'{"a": "\xc3\xa9"}  '
    res = run("ok", body, {"x-sig": "sha256=ab"})
    assert res.response.status == 202, res.response.body
    rid = json.loads(res.response.body)["request_id"]
    obj = emulator.client("s3").get_object(Bucket=bucket, Key=f"incoming/{rid}")
    assert obj["Body"].read() == body and obj["Metadata"] == {"request-id": rid, "sig": "sha256=ab"}


def test_a_role_without_put_on_the_key_gets_s3_access_denied(emulator, s3_route):
    _bucket_name, run = s3_route
    res = run("elsewhere", b"{}")
    assert res.request.integration_status == "403" and "<Code>AccessDenied</Code>" in res.request.integration_body
    assert res.response.status == 500


def test_a_body_over_10_mb_is_413_with_the_default_response_even_when_4xx_is_customized(s3_route):
    _bucket_name, run = s3_route
    res = run("ok", b"x" * (10 * 1024 * 1024 + 1))
    assert res.response.status == 413 and json.loads(res.response.body) == {"message": "Request Too Long"}
    assert res.request.integration_status is None  # never reached S3


# --- HTTP API EventBridge-PutEvents / Kinesis-PutRecord authorization ------------------------

def _http(emulator, subtype: str, role: str, params: dict, body: bytes = b'{"k": 1}'):
    api = http_api([])
    api.routes.append(Route("r", "POST /x", "integrations/i", "NONE", None, []))
    api.integrations["i"] = {"IntegrationType": "AWS_PROXY", "IntegrationSubtype": subtype,
                             "CredentialsArn": role, "RequestParameters": params}
    resp, _ctx = HttpChain(Integrations(emulator.client)).handle(api, "POST", "/x", {}, body, "127.0.0.1")
    return resp


@pytest.fixture(scope="module")
def producer_roles(emulator):
    sfx = uuid.uuid4().hex[:6]
    iam, events, kinesis = emulator.client("iam"), emulator.client("events"), emulator.client("kinesis")
    bus = f"dl-pb-{sfx}"
    bus_arn = events.create_event_bus(Name=bus)["EventBusArn"]
    stream = f"dl-st-{sfx}"
    kinesis.create_stream(StreamName=stream, ShardCount=1)
    stream_arn = f"arn:aws:kinesis:{REGION}:{ACCOUNT}:stream/{stream}"
    roles = {}
    for name, stmt in (("events", {"Action": "events:PutEvents", "Resource": bus_arn}),
                       ("kinesis", {"Action": "kinesis:PutRecord", "Resource": stream_arn}),
                       ("other-bus", {"Action": "events:PutEvents", "Resource": bus_arn + "-other"})):
        rn = f"dl-prod-{name}-{sfx}"
        roles[name] = iam.create_role(RoleName=rn, AssumeRolePolicyDocument=json.dumps(TRUST_APIGW))["Role"]["Arn"]
        iam.put_role_policy(RoleName=rn, PolicyName="p", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", **stmt}]}))
    return bus_arn, stream, roles


def test_put_events_needs_events_put_events_on_that_bus(emulator, producer_roles):
    bus_arn, _stream, roles = producer_roles
    params = {"Detail": "$request.body", "DetailType": "T", "Source": "t.src", "EventBusName": bus_arn}
    ok = _http(emulator, "EventBridge-PutEvents", roles["events"], params)
    assert ok.status == 200 and json.loads(ok.body)["FailedEntryCount"] == 0
    denied = _http(emulator, "EventBridge-PutEvents", roles["other-bus"], params)
    assert denied.status == 400 and json.loads(denied.body)["__type"] == "AccessDeniedException"


def test_put_events_answers_200_with_a_failed_entry_for_a_detail_that_is_not_json(emulator, producer_roles):
    bus_arn, _stream, roles = producer_roles
    resp = _http(emulator, "EventBridge-PutEvents", roles["events"],
                 {"Detail": "$request.body", "DetailType": "T", "Source": "t.src", "EventBusName": bus_arn}, b"nope")
    doc = json.loads(resp.body)
    assert resp.status == 200 and doc["FailedEntryCount"] == 1 and doc["Entries"][0]["ErrorCode"] == "MalformedDetail"


def test_put_record_needs_kinesis_put_record_on_that_stream(emulator, producer_roles):
    _bus, stream, roles = producer_roles
    params = {"StreamName": stream, "Data": "$request.body", "PartitionKey": "$context.requestId"}
    ok = _http(emulator, "Kinesis-PutRecord", roles["kinesis"], params)
    assert ok.status == 200 and json.loads(ok.body)["ShardId"]
    denied = _http(emulator, "Kinesis-PutRecord", roles["events"], params)
    assert denied.status == 400 and json.loads(denied.body)["__type"] == "AccessDeniedException"
