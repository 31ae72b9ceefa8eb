"""Parameter types for the step phrasings: names of tenants, agents and users.

Importing this module registers them with behave: ``{tenant:Name}`` matches one
capitalised word ("Acme"), ``{agents:Names}`` a list in English or Chinese
("Helper and Sales", "Helper, Sales and Billing", "Helper 和 Sales", "Helper、Sales"),
``{connection:Connection}`` one of a user's connections ("Alice's connection to
Sales", "Alice's connection to Helper on "qq"", "Alice 在 "qq" 上到 Helper 的连接"),
``{text:Escaped}`` quoted text written with backslash escapes ("tab\\there,
\\u200f"), and ``{input:ChatInput}`` / ``{garbage:Garbage}`` the names in
bad_input's catalogue (or their Chinese names), ``{place:ChatPlace}`` where a user
speaks ("her group", "his group", "private", "the group Garden", "a group with no name";
"她的群聊", "他的群聊", "私聊", "群聊 Garden ", "一个没有名字的群聊"),
``{goodbye:Goodbye}`` how a connection ended ("with a goodbye", "对方没有道别"), and
``{how:Revocation}`` how a tenant takes a key back ("deleting it", "删除密钥").
"""

from __future__ import annotations

import re
from typing import NamedTuple

import parse
from behave import register_type

from ..wire.messages import ChatKind
from .bad_input import CHAT_INPUTS, GARBAGE
from .revocations import HOW_IN_WORDS
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


CHAT_INPUTS_IN_CHINESE = {
    "一条空消息": "an empty message",
    "一条 1 MiB 的消息": "a message of 1 MiB",
    "一条刚超过服务器大小上限的消息": "a message just over the server's size limit",
    "一张图片": "a picture",
}
"""The Chinese specs' names of bad_input.CHAT_INPUTS."""

GARBAGE_IN_CHINESE = {
    "不是 JSON 的文字": "text that is not JSON",
    "一个 JSON 数组": "a JSON array",
    "一个不是数据包的 JSON 对象": "a JSON object that is no package",
    "二进制数据": "binary data",
    "不带聊天消息的聊天数据包": "a chat package without a chat message",
    "聊天消息格式不对的聊天数据包": "a chat package with a malformed message",
}
"""The Chinese specs' names of bad_input.GARBAGE."""


@parse.with_pattern(_one_of([*CHAT_INPUTS, *CHAT_INPUTS_IN_CHINESE]))
def parse_chat_input(text: str) -> str:
    """A name from bad_input.CHAT_INPUTS ("an empty message", "a picture", ...), or its
    Chinese name ("一条空消息")."""
    return CHAT_INPUTS_IN_CHINESE.get(text, text)


@parse.with_pattern(_one_of([*GARBAGE, *GARBAGE_IN_CHINESE]))
def parse_garbage(text: str) -> str:
    """A name from bad_input.GARBAGE ("text that is not JSON", "binary data", ...), or its
    Chinese name ("二进制数据")."""
    return GARBAGE_IN_CHINESE.get(text, text)


CHAT_PLACES = {
    "her group": Place(ChatKind.GROUP),
    "his group": Place(ChatKind.GROUP),
    "private": Place(ChatKind.PRIVATE),
    "a group with no name": Place(ChatKind.GROUP, nameless=True),
    "她的群聊": Place(ChatKind.GROUP),
    "他的群聊": Place(ChatKind.GROUP),
    "私聊": Place(ChatKind.PRIVATE),
    "一个没有名字的群聊": Place(ChatKind.GROUP, nameless=True),
}
NAMED_GROUP = re.compile(rf"the group (?P<name>{NAME})|群聊 (?P<zh>{NAME}) ")
"""A group the scenario names: "the group Garden"; in Chinese "群聊 Garden " (the space
after the name is the place's own, before the 里 of "在群聊 Garden 里")."""


@parse.with_pattern(rf"{_one_of(list(CHAT_PLACES))}|the group {NAME}|群聊 {NAME} ")
def parse_chat_place(text: str) -> Place:
    """Where a user says something: "her group" / "his group" (their own), "private",
    "the group Garden" (a group the scenario names), or "a group with no name" (in
    Chinese "她的群聊", "私聊", "群聊 Garden", "一个没有名字的群聊")."""
    named = NAMED_GROUP.fullmatch(text)
    return Place(ChatKind.GROUP, named["name"] or named["zh"]) if named else CHAT_PLACES[text]


GOODBYES = {
    "with a goodbye": "with a goodbye",
    "without a goodbye": "without a goodbye",
    "对方道了别": "with a goodbye",
    "对方没有道别": "without a goodbye",
}
"""How a connection ended, as the client's account of it says (``Closed.detail``)."""


@parse.with_pattern(_one_of(list(GOODBYES)))
def parse_goodbye(text: str) -> str:
    """ "with a goodbye" / "without a goodbye" (in Chinese "对方道了别" / "对方没有道别"): the
    words the client's account of a closed connection contains."""
    return GOODBYES[text]


REVOCATIONS_IN_CHINESE = {
    "删除密钥": "deleting it",
    "停用密钥": "disabling it",
    "让密钥过期": "letting it expire",
    "删除它的智能体": "deleting its agent",
    "删除整个租户": "deleting the tenant",
}
"""The Chinese specs' names of revocations.HOW_IN_WORDS."""


@parse.with_pattern(_one_of([*HOW_IN_WORDS, *REVOCATIONS_IN_CHINESE]))
def parse_revocation(text: str) -> str:
    """How a tenant takes a key back, as revocations.HOW_IN_WORDS says it ("deleting it"),
    from it or its Chinese name ("删除密钥")."""
    return REVOCATIONS_IN_CHINESE.get(text, text)


register_type(
    Name=parse_name,
    Names=parse_names,
    Count=parse_count,
    Connection=parse_connection,
    Escaped=parse_escaped,
    ChatInput=parse_chat_input,
    Garbage=parse_garbage,
    ChatPlace=parse_chat_place,
    Goodbye=parse_goodbye,
    Revocation=parse_revocation,
)
