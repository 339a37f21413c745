"""Where the users API reads users: the seam between the app and the data layer.

`users_store()` picks the implementation from the environment:
- `DATA_API_URL` set: `DataApiUsersStore` reads through the data API
  (`lambda_src/shared/data_api_client`, operations `get-user` and `list-users-by-last-name`
  of envs/catalogs/users.yaml); the function never learns the table's keys. Bundle the client
  by adding `data_api_client` to this function's shared.txt.
- otherwise `DynamoUsersStore` reads the table named by `USERS_TABLE` directly.

Key design: the catalog's (envs/catalogs/users.yaml, bundled at build), shared with the
webhook worker and the data API: the key templates, index and returned attributes of
`get-user` and `list-users-by-last-name` (today pk = "USER#<id>", GSI `gsi1` on `last_name`).
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from typing import Any, Protocol

import operations_catalog

CATALOG = operations_catalog.load("users")
GET = CATALOG.operation("get-user")
LIST = CATALOG.operation("list-users-by-last-name")
USER_FIELDS = GET.returns
INDEX = LIST.index
(INDEX_KEY,) = LIST.key  # the index hash key the query sets (catalog rule: exactly that one)


class InvalidPageToken(ValueError):
    """The next_token a client sent back is not one this API produced."""


class StoreUnavailable(RuntimeError):
    """The data layer throttled or failed after the SDK's retries: worth a 503 + retry."""


class UsersStore(Protocol):
    def get_user(self, user_id: str) -> dict | None: ...

    def list_by_last_name(
        self, last_name: str, *, limit: int, next_token: str | None
    ) -> tuple[list[dict], str | None]: ...


def _encode_token(key: dict) -> str:
    return (
        base64.urlsafe_b64encode(json.dumps(key, separators=(",", ":"), sort_keys=True).encode()).decode().rstrip("=")
    )


def _decode_token(token: str, last_name: str) -> dict:
    try:
        key = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise InvalidPageToken("next_token is not valid") from None
    # A token is the LastEvaluatedKey of this query: the table key + the index key of this value.
    table_key = [k for k in (CATALOG.hash_key, CATALOG.range_key) if k]
    if (
        not isinstance(key, dict)
        or set(key) != {*table_key, INDEX_KEY}
        or key[INDEX_KEY] != LIST.item({"last_name": last_name})[INDEX_KEY]
        or not all(isinstance(key[k], dict) for k in table_key)
        or not str(key[CATALOG.hash_key].get("S", "")).startswith(
            operations_catalog.literal_prefix(GET.key[CATALOG.hash_key])
        )
    ):
        raise InvalidPageToken("next_token does not belong to this query")
    return key


_THROTTLING = {
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
    "InternalServerError",
    "ServiceUnavailable",
}


class DynamoUsersStore:
    """GetItem on the catalog's key (consistent, like its get-user) and Query on its index."""

    def __init__(self, client: Any, table_name: str):
        self.client = client
        self.table_name = table_name

    def _call(self, op: str, **kwargs) -> dict:
        from botocore.exceptions import ClientError

        try:
            return getattr(self.client, op)(TableName=self.table_name, **kwargs)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in _THROTTLING:
                raise StoreUnavailable(f"DynamoDB {op}: {exc.response['Error']['Code']}") from None
            raise

    @staticmethod
    def _user(item: dict) -> dict:
        return {name: operations_catalog.from_dynamodb(item[name]) for name in USER_FIELDS if name in item}

    def get_user(self, user_id: str) -> dict | None:
        names = {f"#a{i}": name for i, name in enumerate(GET.returns)}
        out = self._call(
            "get_item",
            Key=GET.item({"id": user_id}),
            ConsistentRead=True,
            ProjectionExpression=", ".join(names),
            ExpressionAttributeNames=names,
        )
        item = out.get("Item")
        return self._user(item) if item else None

    def list_by_last_name(self, last_name: str, *, limit: int, next_token: str | None) -> tuple[list[dict], str | None]:
        kwargs: dict[str, Any] = {}
        if next_token:
            kwargs["ExclusiveStartKey"] = _decode_token(next_token, last_name)
        out = self._call(
            "query",
            IndexName=INDEX,
            KeyConditionExpression="#k = :k",
            ExpressionAttributeNames={"#k": INDEX_KEY},
            ExpressionAttributeValues={":k": LIST.item({"last_name": last_name})[INDEX_KEY]},
            Limit=limit,
            **kwargs,
        )
        last = out.get("LastEvaluatedKey")
        return [self._user(i) for i in out.get("Items", [])], (_encode_token(last) if last else None)


class DataApiUsersStore:
    """The same reads through the data API (SigV4, retries and typed errors in the client)."""

    def __init__(self, client: Any = None):
        if client is None:
            import data_api_client as client  # bundled via shared.txt where a data API is wired
        self.client = client

    def get_user(self, user_id: str) -> dict | None:
        try:
            return self.client.call(GET.name, {"id": user_id})
        except self.client.NotFound:
            return None
        except (self.client.Throttled, self.client.Unavailable) as exc:
            raise StoreUnavailable(str(exc)) from None

    def list_by_last_name(self, last_name: str, *, limit: int, next_token: str | None) -> tuple[list[dict], str | None]:
        try:
            result = self.client.call(LIST.name, {"last_name": last_name}, page_size=limit, next_token=next_token)
        except self.client.ValidationError as exc:
            # The data API's own token check: an unknown token is the caller's mistake.
            raise InvalidPageToken(str(exc)) from None
        except (self.client.Throttled, self.client.Unavailable) as exc:
            raise StoreUnavailable(str(exc)) from None
        # The client returns (items, next_token) when the answer carries a next_token, else items.
        items, token = result if isinstance(result, tuple) else (result, None)
        return items or [], token


def users_store(dynamodb_client_factory) -> UsersStore:
    """Choose the store from the environment; the factory is only called on the direct path."""
    if os.environ.get("DATA_API_URL"):
        return DataApiUsersStore()
    table = os.environ.get("USERS_TABLE")
    if not table:
        raise RuntimeError("USERS_TABLE (or DATA_API_URL) must be set")
    return DynamoUsersStore(dynamodb_client_factory(), table)
