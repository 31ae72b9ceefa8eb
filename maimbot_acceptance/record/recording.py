"""What a recording says happened: who was connected, who asked what, what answered it.

A journal (journal.py) is a flat list of frames. This module reads it into
conversations: the connections that were open together (a behave scenario opens its
own and closes them; a deployment's adapters stay, so a lull of ``gap`` seconds also
ends a conversation), the messages users sent, and for each the reply that answered
it, matched the way docs/protocol.md says a reply is addressed: from the agent of the
asking connection's key, to the chat asked in (its quote, when it quotes one, names
the message). Everything is kept by the proxy's own clock.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..wire.dialects import ids_named_by
from ..wire.messages import ChatMessage
from .journal import read_journal


@dataclass
class RecordedConnection:
    """One recorded client connection."""

    number: int
    api_key: str
    platform: str
    opened: float
    closed: float | None = None
    chats: int = 0
    """Chat messages it carried, either way."""

    @property
    def tenant_id(self) -> str:
        return ids_named_by(self.api_key)[0]

    @property
    def agent_id(self) -> str:
        return ids_named_by(self.api_key)[1]


@dataclass
class Said:
    """A chat message a client sent: a user's question."""

    at: float
    link: RecordedConnection
    message_id: str
    user_id: str
    nickname: str
    group_id: str | None
    """The group asked in; None for a private message."""
    platform: str
    text: str
    segment_types: tuple[str, ...]
    answer: Heard | None = None


@dataclass
class Heard:
    """A chat message the server sent down one connection (a reply, or a copy of it)."""

    at: float
    link: RecordedConnection
    message_id: str
    sender_id: str
    sender_name: str
    api_key: str
    platform: str
    to_group: str | None
    to_user: str | None
    text: str
    quoted: str | None
    copies: list[Heard] = field(default_factory=list)
    """The same reply heard on other connections (first heard: this one)."""
    answers: Said | None = None


@dataclass
class RecordedConversation:
    """Connections open together, and what was said on them."""

    links: list[RecordedConnection]
    said: list[Said]
    heard: list[Heard]
    """First arrivals only (copies hang off them)."""

    @property
    def began(self) -> float:
        return min([s.at for s in self.said] + [h.at for h in self.heard])

    @property
    def ended(self) -> float:
        return max([s.at for s in self.said] + [h.at for h in self.heard])


@dataclass
class Recording:
    path: Path
    server: str
    conversations: list[RecordedConversation]
    links: list[RecordedConnection]
    garbage: int = 0
    other: int = 0
    refused: int = 0
    unmatched: int = 0
    """Replies that answer no recorded message."""

    @property
    def said(self) -> int:
        return sum(len(c.said) for c in self.conversations)


def read_recording(path: str | Path, gap: float = 30.0) -> Recording:
    """Read a journal and cut it into conversations (see the module's docstring)."""
    reader = _Reader()
    server = ""
    for event in read_journal(path):
        if event["event"] == "run":
            server = str(event.get("server", ""))
        else:
            reader.feed(event)
    reader.match_replies()
    conversations = _conversations(reader.links.values(), reader.said, reader.heard, gap)
    return Recording(
        Path(path),
        server,
        conversations,
        list(reader.links.values()),
        garbage=reader.counts["garbage"],
        other=reader.counts["other"],
        refused=reader.counts["refused"],
        unmatched=sum(1 for h in reader.heard if h.answers is None),
    )


class _Reader:
    def __init__(self) -> None:
        self.links: dict[int, RecordedConnection] = {}
        self.said: list[Said] = []
        self.heard: list[Heard] = []
        self.counts: dict[str, int] = defaultdict(int)
        self._first_heard: dict[tuple[str, str], Heard] = {}

    def feed(self, event: Mapping[str, Any]) -> None:
        kind, at = event["event"], float(event.get("t", 0.0))
        number = event.get("conn")
        if kind == "open" and isinstance(number, int):
            self.links[number] = RecordedConnection(
                number, str(event.get("api_key", "")), str(event.get("platform", "")), at
            )
        elif kind == "close" and number in self.links:
            self.links[number].closed = at
        elif kind == "chat" and number in self.links:
            link = self.links[number]
            link.chats += 1
            payload = (event.get("package") or {}).get("payload") or {}
            if event.get("from") == "client":
                self.said.append(_said(at, link, payload))
            else:
                self._heard(_heard(at, link, payload))
        else:
            self.counts[kind] += 1

    def _heard(self, heard: Heard) -> None:
        """A reply reaches every connection of its agent: the same message id again is a copy."""
        key = (heard.message_id, heard.api_key)
        first = self._first_heard.get(key) if heard.message_id else None
        if first is None:
            self._first_heard[key] = heard
            self.heard.append(heard)
        else:
            first.copies.append(heard)

    def match_replies(self) -> None:
        """Each reply answers the earliest unanswered message of its chat asked of its
        agent, or the one it quotes."""
        waiting: dict[tuple[str, str, str], deque[Said]] = defaultdict(deque)
        by_id: dict[str, Said] = {}
        events: list[tuple[float, int, Said | Heard]] = [(s.at, 0, s) for s in self.said]
        events += [(h.at, 1, h) for h in self.heard]
        events.sort(key=lambda e: (e[0], e[1]))
        for _, _, item in events:
            if isinstance(item, Said):
                chat = item.group_id if item.group_id is not None else f"user:{item.user_id}"
                waiting[(item.link.api_key, item.platform, chat)].append(item)
                by_id[item.message_id] = item
                continue
            chat = item.to_group if item.to_group else f"user:{item.to_user}"
            queue = waiting.get((item.api_key, item.platform, chat))
            said = by_id.get(item.quoted) if item.quoted else None
            if said is None or said.answer is not None:
                while queue and queue[0].answer is not None:
                    queue.popleft()
                said = queue[0] if queue else None
            if said is not None and said.answer is None:
                said.answer, item.answers = item, said


def _conversations(
    links: Iterable[RecordedConnection], said: list[Said], heard: list[Heard], gap: float
) -> list[RecordedConversation]:
    """Connections whose lives overlap belong together; a lull of ``gap`` s cuts."""
    # Every connection counts, also those that carried no chat: they witness silence.
    talking = sorted(links, key=lambda link: link.opened)
    groups: list[list[RecordedConnection]] = []
    reach = float("-inf")
    for link in talking:
        if not groups or link.opened > reach:
            groups.append([])
            reach = float("-inf")
        groups[-1].append(link)
        reach = max(reach, link.closed if link.closed is not None else float("inf"))
    group_of = {link.number: n for n, group in enumerate(groups) for link in group}
    items: dict[int, list[Said | Heard]] = defaultdict(list)
    everything: list[Said | Heard] = [*said, *heard]
    for each in everything:
        items[group_of[each.link.number]].append(each)
    conversations = []
    for number, group in enumerate(groups):
        ordered = sorted(items[number], key=lambda item: item.at)
        for part in _cut(ordered, gap) if ordered else []:
            conversations.append(_conversation(group, part))
    return conversations


def _cut(items: list[Said | Heard], gap: float) -> list[list[Said | Heard]]:
    parts: list[list[Said | Heard]] = []
    last = float("-inf")
    for item in items:
        # A reply stays with the message it answers, however long it took.
        if isinstance(item, Said) and item.at - last > gap:
            parts.append([])
        if not parts:
            parts.append([])
        parts[-1].append(item)
        last = item.at
    return parts


def _conversation(
    group: list[RecordedConnection], items: list[Said | Heard]
) -> RecordedConversation:
    said = [i for i in items if isinstance(i, Said)]
    heard = [i for i in items if isinstance(i, Heard)]
    used = {i.link.number for i in items} | {c.link.number for h in heard for c in h.copies}
    began = min(i.at for i in items)
    ended = max(i.at for i in items)
    # A connection that carried nothing here still witnesses what it did not hear,
    # if it was open throughout.
    links = [
        link
        for link in group
        if link.number in used
        or (link.opened <= began and (link.closed is None or link.closed >= ended))
    ]
    return RecordedConversation(links, said, heard)


def _said(at: float, link: RecordedConnection, payload: Mapping[str, Any]) -> Said:
    message = ChatMessage.from_payload(payload)
    return Said(
        at=at,
        link=link,
        message_id=_text(message.message_id),
        user_id=_text(message.sender_id),
        nickname=_text(message.sender_name),
        group_id=_text(message.in_group_id) if message.in_group_id is not None else None,
        platform=_text(message.platform) or link.platform,
        text=message.text,
        segment_types=message.segment_types,
    )


def _heard(at: float, link: RecordedConnection, payload: Mapping[str, Any]) -> Heard:
    message = ChatMessage.from_payload(payload)
    return Heard(
        at=at,
        link=link,
        message_id=_text(message.message_id),
        sender_id=_text(message.sender_id),
        sender_name=_text(message.sender_name),
        api_key=_text(message.routing_key) or link.api_key,
        platform=_text(message.platform) or _text(message.routing_platform) or link.platform,
        to_group=message.to_group_id,
        to_user=message.to_user_id,
        text=message.text,
        quoted=message.quoted_message_id,
    )


def _text(value: object) -> str:
    """A field of a recorded package as text: whatever a client put there, or ""."""
    return "" if value is None else str(value)
