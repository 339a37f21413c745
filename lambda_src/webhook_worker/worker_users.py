"""User operations. Importing this module registers them with the worker.

Validation is the catalog's (envs/catalogs/users.yaml, bundled at build): `data` is checked
against the operation's JSON Schema, the one API Gateway applies to the data API's envelope,
so the worker refuses exactly what the data API refuses, for the same reasons.
"""

from __future__ import annotations

import functools

import worker_clients
from worker_operations import InvalidData, OperationContext, operation
from worker_users_store import CATALOG, UsersStore, users_store

STORE_NEW_USER = CATALOG.operation("store-new-user")


def catalog_validator(op):
    """A worker validator from a catalog operation: the data, or InvalidData with every reason."""

    def validate(data: object) -> dict:
        problems = op.errors(data)
        if problems:
            raise InvalidData(f"{op.name}: " + "; ".join(problems))
        return dict(data)  # type: ignore[call-overload]  # an object: the schema says so

    return validate


@functools.cache
def store() -> UsersStore:
    return users_store(worker_clients.dynamodb)


@operation(STORE_NEW_USER.name, validator=catalog_validator(STORE_NEW_USER))
def store_new_user(user: dict, ctx: OperationContext) -> dict:
    created = store().create_user(user, request_id=ctx.request_id)
    # duplicate=True: an identical user was already stored by an earlier delivery.
    return {"user_id": user["id"], "created": created, "duplicate": not created}
