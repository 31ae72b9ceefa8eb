"""Parameter types for the step phrasings: names of tenants, agents and users.

Importing this module registers them with behave: ``{tenant:Name}`` matches one
capitalised word ("Acme"), ``{agents:Names}`` a list in English or Chinese
("Helper and Sales", "Helper, Sales and Billing", "Helper 和 Sales", "Helper、Sales"),
``{connection:Connection}`` one of a user's connections ("Alice's connection to
Sales", "Alice's connection to Helper on "qq"", "Alice 在 "qq" 上到 Helper 的连接"),
``{text:Escaped}`` quoted text written with backslash escapes ("tab\\there,
\\u200f"), and ``{input:ChatInput}`` / ``{garbage:Garbage}`` the names in
bad_input's catalogue, ``{place:ChatPlace}`` where a user speaks ("her group",
"his group", "private", "the group Garden", "a group with no name").
"""

from __future__ import annotations

import re
from typing import NamedTuple

import parse
from behave import register_type

from ..wire.messages import ChatKind
from .bad_input import CHAT_INPUTS, GARBAGE
from .roster import Place

NAME = r"[A-Z][A-Za-z0-9_-]*"


@parse.with_pattern(NAME)
def parse_name(text: str) -> str:
    return text


LIST_SEPARATOR = r", | and | 和 |、"


@parse.with_pattern(rf"{NAME}(?:(?:{LIST_SEPARATOR}){NAME})*")
def parse_names(text: str) -> list[str]:
    return re.split(LIST_SEPARATOR, text)


@parse.with_pattern(r"\d+")
def parse_count(text: str) -> int:
    return int(text)


class ConnectionRef(NamedTuple):
    """A user's connection to an agent, on a platform ("" for the default one)."""

    user: str
    agent: str
    platform: str


CONNECTION_EN = rf"{NAME}'s connection to {NAME}(?: on \"[^\"]+\")?"
CONNECTION_ZH = rf"{NAME}(?: 在 \"[^\"]+\" 上)? ?到 {NAME} 的连接"
CONNECTION = f"(?:{CONNECTION_EN}|{CONNECTION_ZH})"
_CONNECTION_PARTS = (
    re.compile(
        rf"(?P<user>{NAME})'s connection to (?P<agent>{NAME})(?: on \"(?P<platform>[^\"]+)\")?"
    ),
    re.compile(
        rf"(?P<user>{NAME})(?: 在 \"(?P<platform>[^\"]+)\" 上)? ?到 (?P<agent>{NAME}) 的连接"
    ),
)


@parse.with_pattern(CONNECTION)
def parse_connection(text: str) -> ConnectionRef:
    """ "Alice's connection to Helper on "qq"", or in Chinese "Alice 在 "qq" 上到 Helper 的连接"."""
    parts = next(filter(None, (form.fullmatch(text) for form in _CONNECTION_PARTS)), None)
    assert parts is not None, text
    return ConnectionRef(parts["user"], parts["agent"], parts["platform"] or "")


ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|x[0-9a-fA-F]{2}|[ntr\\\"])")
SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"'}


def decode_escapes(text: str) -> str:
    """Turn ``\\u200f``, ``\\U0001F600``, ``\\x07``, ``\\n``, ``\\t``, ``\\r``,
    ``\\\\`` and ``\\"`` into the characters they name; leave everything else as written
    (unlike Python's unicode_escape codec, which would garble non-ASCII text)."""

    def one(found: re.Match[str]) -> str:
        code = found.group(1)
        return SIMPLE_ESCAPES.get(code) or chr(int(code[1:], 16))

    return ESCAPE.sub(one, text)


@parse.with_pattern(r'(?:[^"\\]|\\.)*')
def parse_escaped(text: str) -> str:
    return decode_escapes(text)


def _one_of(phrases: list[str]) -> str:
    return "|".join(re.escape(phrase) for phrase in sorted(phrases, key=len, reverse=True))


@parse.with_pattern(_one_of(list(CHAT_INPUTS)))
def parse_chat_input(text: str) -> str:
    """A name from bad_input.CHAT_INPUTS ("an empty message", "a picture", ...)."""
    return text


@parse.with_pattern(_one_of(list(GARBAGE)))
def parse_garbage(text: str) -> str:
    """A name from bad_input.GARBAGE ("text that is not JSON", "binary data", ...)."""
    return text


CHAT_PLACES = {
    "her group": Place(ChatKind.GROUP),
    "his group": Place(ChatKind.GROUP),
    "private": Place(ChatKind.PRIVATE),
    "a group with no name": Place(ChatKind.GROUP, nameless=True),
}
NAMED_GROUP = re.compile(rf"the group (?P<name>{NAME})")


@parse.with_pattern(rf"{_one_of(list(CHAT_PLACES))}|the group {NAME}")
def parse_chat_place(text: str) -> Place:
    """Where a user says something: "her group" / "his group" (their own), "private",
    "the group Garden" (a group the scenario names), or "a group with no name"."""
    named = NAMED_GROUP.fullmatch(text)
    return Place(ChatKind.GROUP, named["name"]) if named else CHAT_PLACES[text]


register_type(
    Name=parse_name,
    Names=parse_names,
    Count=parse_count,
    Connection=parse_connection,
    Escaped=parse_escaped,
    ChatInput=parse_chat_input,
    Garbage=parse_garbage,
    ChatPlace=parse_chat_place,
)
