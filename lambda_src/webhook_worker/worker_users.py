"""User operations. Importing this module registers them with the worker."""

from __future__ import annotations

import functools
import re

import worker_clients
from worker_operations import InvalidData, OperationContext, operation
from worker_users_store import USER_FIELDS, UsersStore, users_store

# id goes into the key "USER#<id>": no '#', no spaces, bounded length.
ID_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")
# Shape only (something@domain.tld, no spaces); deliverability is not the worker's business.
EMAIL_RE = re.compile(r"[^@\s]{1,64}@[^@\s.]+(\.[^@\s.]+)+")
NAME_MAX = 100
EMAIL_MAX = 254  # RFC 5321 path limit


def validate_new_user(data: object) -> dict:
    """Return the user dict or raise InvalidData naming every problem."""
    if not isinstance(data, dict):
        raise InvalidData("data must be an object")
    problems = [f"missing {name}" for name in USER_FIELDS if name not in data]
    extra = sorted(set(data) - set(USER_FIELDS))
    if extra:
        problems.append(f"unexpected field(s) {', '.join(extra)}")
    for name in USER_FIELDS:
        value = data.get(name)
        if name in data and not isinstance(value, str):
            problems.append(f"{name} must be a string")
    if not problems:
        if not ID_RE.fullmatch(data["id"]):
            problems.append("id must be 1-64 characters of A-Z a-z 0-9 _ -")
        for name in ("first_name", "last_name"):
            if not data[name].strip() or len(data[name]) > NAME_MAX:
                problems.append(f"{name} must be 1-{NAME_MAX} characters, not blank")
        if len(data["email"]) > EMAIL_MAX or not EMAIL_RE.fullmatch(data["email"]):
            problems.append("email must look like name@example.com")
    if problems:
        raise InvalidData("store-new-user: " + "; ".join(problems))
    return {name: data[name] for name in USER_FIELDS}


@functools.cache
def store() -> UsersStore:
    return users_store(worker_clients.dynamodb)


@operation("store-new-user", validator=validate_new_user)
def store_new_user(user: dict, ctx: OperationContext) -> dict:
    created = store().create_user(user, request_id=ctx.request_id)
    # duplicate=True: an identical user was already stored by an earlier delivery.
    return {"user_id": user["id"], "created": created, "duplicate": not created}
