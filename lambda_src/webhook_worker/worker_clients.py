"""AWS clients, created on first use and reused across warm invocations.

Lazy so the handler's cold import stays small (boto3 client creation costs tens of ms)
and so tests can start moto before any client exists; `reset()` drops them.
"""

from __future__ import annotations

import functools


@functools.cache
def dynamodb():
    import boto3

    return boto3.client("dynamodb")


@functools.cache
def sqs():
    import boto3

    return boto3.client("sqs")


@functools.cache
def s3():
    import boto3

    return boto3.client("s3")


def reset() -> None:
    dynamodb.cache_clear()
    sqs.cache_clear()
    s3.cache_clear()
