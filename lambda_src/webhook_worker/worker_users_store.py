"""Where users are stored: the seam between the worker and the data layer.

`users_store()` picks the implementation from the environment:
- `DATA_API_URL` set: `DataApiStore`, the seed's Lambda -> data API -> DynamoDB path; the
  worker never learns the table's keys (issue 3).
- otherwise `DirectTableStore` writes to the table named by `USERS_TABLE`.

Key design: the catalog's `store-new-user` (envs/catalogs/users.yaml, bundled at build), so
both paths write the same item: its key templates (`pk` = "USER#{id}"), its `writes` with the
catalog's attribute types, plus `created_at` (ISO 8601 UTC, the worker's own audit field).
Indexes are on plain attributes (catalog `table.indexes`), so no derived index keys have to be
kept in sync by two writers. Email is stored as sent (no case folding).
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any, Protocol

import operations_catalog
from worker_operations import Conflict, InvalidData

CATALOG = operations_catalog.load("users")
CREATE = CATALOG.operation("store-new-user")
USER_FIELDS = CREATE.writes


class UsersStore(Protocol):
    def create_user(self, user: dict, *, request_id: str) -> bool:
        """Store a new user. Returns True if written, False if an identical user already
        exists (an earlier delivery of the same create). Raises `Conflict` if the id exists
        with different attributes; never overwrites."""


class DirectTableStore:
    """PutItem with `attribute_not_exists(<hash key>)`: a second create for an id is refused."""

    def __init__(self, client: Any, table_name: str):
        self.client = client
        self.table_name = table_name

    def create_user(self, user: dict, *, request_id: str) -> bool:
        item = CREATE.item(user)
        item["created_at"] = {"S": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")}
        try:
            self.client.put_item(
                TableName=self.table_name,
                Item=item,
                ConditionExpression="attribute_not_exists(#hk)",
                ExpressionAttributeNames={"#hk": CATALOG.hash_key},
                # The existing item comes back with the failure: no second read to tell a
                # redelivered create (same attributes) from a real conflict.
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except self.client.exceptions.ConditionalCheckFailedException as exc:
            existing = {k: operations_catalog.from_dynamodb(v) for k, v in exc.response.get("Item", {}).items()}
            if all(existing.get(name) == user[name] for name in USER_FIELDS):
                return False
            changed = sorted(n for n in USER_FIELDS if existing.get(n) != user[n])
            raise Conflict(
                f"user {user['id']!r} already exists with different {', '.join(changed)}; not overwritten"
            ) from None
        return True


class DataApiStore:
    """Calls the data API through `lambda_src/shared/data_api_client` (bundled via shared.txt).

    The client (`call(operation, data, *, correlation_id)`) returns the response's data and
    raises `Conflict` when the key exists (409) and `ValidationError` on a 400; anything else
    it raises (Throttled, Unavailable after its own retries) is transient: the record is retried.
    """

    def __init__(self):
        import data_api_client  # only bundled in envs that wire a data API; reads DATA_API_URL

        self.client = data_api_client

    def create_user(self, user: dict, *, request_id: str) -> bool:
        client = self.client
        try:
            client.call(CREATE.name, dict(user), correlation_id=request_id)
        except client.Conflict as exc:
            # The data API does not return the existing item on 409, so a redelivered create
            # whose idempotency record was lost is reported as a conflict (DLQ) here.
            raise Conflict(f"user {user['id']!r} already exists (data API: {exc}); not overwritten") from None
        except client.ValidationError as exc:
            raise InvalidData(f"data API rejected store-new-user: {exc}") from None
        return True


def users_store(dynamodb_client_factory) -> UsersStore:
    """Choose the store from the environment; `dynamodb_client_factory()` is only called
    for the direct path, so the data-API path creates no DynamoDB client for users."""
    if os.environ.get("DATA_API_URL"):
        return DataApiStore()
    table = os.environ.get("USERS_TABLE")
    if not table:
        raise RuntimeError("USERS_TABLE (or DATA_API_URL) must be set for store-new-user")
    return DirectTableStore(dynamodb_client_factory(), table)
