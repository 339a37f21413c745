"""Decode the message body modules/http-api's queue routes send to SQS.

API Gateway substitutes header values into a request parameter without escaping them, so
the module never puts a header inside JSON. It frames the body instead:

    storefirst-frame/1 <route key>\\n
    <Header-Name>:<value>\\n      one line per forwarded header ("" when the client sent none)
    \\n
    <the request body, unchanged>

HTTP field values cannot contain CR or LF (RFC 9110, 5.5), so a header value cannot add,
drop or reorder a line; the first empty line ends the header block and everything after it
is the client's body, byte for byte. A message that does not start with the magic line was
not sent by a queue route (e.g. a producer calling SendMessage itself): its whole body is the
payload and it carries no route or headers. A message that starts with it but breaks the
structure is refused (FrameError), never guessed at.
"""

from __future__ import annotations

from typing import NamedTuple

MAGIC = "storefirst-frame/1 "


class FrameError(ValueError):
    """The body claims to be a frame but is not a well-formed one."""


class Frame(NamedTuple):  # cheaper to create at cold import than a frozen dataclass
    body: str
    route: str | None = None  # "POST /webhook" ($context.routeKey); None for unframed messages
    headers: dict[str, str] | None = None  # lower-case name -> value as substituted

    def header(self, name: str) -> str | None:
        """The forwarded header's value, or None when the client did not send it (or sent "")."""
        return (self.headers or {}).get(name.lower()) or None


def decode(message_body: str) -> Frame:
    if not message_body.startswith(MAGIC):
        return Frame(body=message_body)
    first, sep, rest = message_body.partition("\n")
    route = first[len(MAGIC) :]
    if not sep or not route:
        raise FrameError("frame has no route line")
    headers: dict[str, str] = {}
    while True:
        line, sep, rest = rest.partition("\n")
        if not sep:
            raise FrameError("frame has no empty line ending its headers")
        if line == "":
            return Frame(body=rest, route=route, headers=headers)
        name, colon, value = line.partition(":")
        if not colon or not name:
            raise FrameError(f"frame header line without a name: {line[:64]!r}")
        if name.lower() in headers:
            raise FrameError(f"frame names header {name!r} twice")
        headers[name.lower()] = value


def encode(body: str, route: str, headers: dict[str, str | None]) -> str:
    """What API Gateway builds from the module's MessageBody mapping (tests, local tools)."""
    lines = [f"{MAGIC}{route}"] + [f"{n}:{v or ''}" for n, v in headers.items()]
    return "\n".join(lines) + "\n\n" + body
