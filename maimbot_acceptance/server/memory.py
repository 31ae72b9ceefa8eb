"""What the reference server's agents remember, and the prompt they build from it.

MaiMBot's agents remember: the chat's history, what they know of each person, and a
knowledge base. So do these, each store keyed by whose it is, so that what one tenant
tells its agent is never recalled for another tenant, whatever ids the two share:

* a chat's history by tenant, agent, platform and chat (group id, or the private user);
* what the agent knows of a person by tenant, agent, platform, chat and user id: what
  someone says in one chat is not recalled in another, not even to them;
* the knowledge base by tenant and agent (taught by "Remember: ...").

Chats that share memory on purpose (MaiBot's ``shared_memory_groups``) count as one
chat for the first two: a deployment's operator says which (:meth:`Memory.share`).

The keys come from a function the fault hooks own (``Fault.memory_key``): the memory
faults key a store by less, and the canary scenarios must catch them.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import Enum
from typing import Any

from maim_message.message import APIMessageBase

from .registry import AgentRecord


class Store(Enum):
    CHAT = "chat history"
    PERSON = "what it knows of a person"
    KNOWLEDGE = "knowledge base"


@dataclass(frozen=True)
class Whereabouts:
    """Where a message was said, as far as the agent's memory cares."""

    tenant_id: str
    agent_id: str
    agent_name: str
    platform: str
    group_id: str
    """Empty in a private chat."""
    user_id: str
    nickname: str
    shared_as: str = ""
    """The name of the chats this one shares memory with on purpose; empty: none."""

    @classmethod
    def of(cls, message: APIMessageBase, agent: AgentRecord, platform: str) -> Whereabouts:
        """Where ``message``, answered by ``agent`` on ``platform``, was said."""
        sender = message.message_info.sender_info
        user = sender.user_info if sender is not None else None
        group = sender.group_info if sender is not None else None
        return cls(
            tenant_id=agent.tenant_id,
            agent_id=agent.agent_id,
            agent_name=agent.name,
            platform=platform,
            group_id=str(group.group_id) if group is not None and group.group_id else "",
            user_id=str(user.user_id) if user is not None and user.user_id else "",
            nickname=str(user.user_nickname) if user is not None and user.user_nickname else "",
        )

    @property
    def chat(self) -> str:
        return f"group:{self.group_id}" if self.group_id else f"private:{self.user_id}"

    @property
    def memory_chat(self) -> str:
        """The chat whose memory this one reads and adds to: its own, or the shared one."""
        return self.shared_as or self.chat


MemoryKey = Callable[[Store, Whereabouts], tuple[str, ...]]


def memory_key(store: Store, where: Whereabouts) -> tuple[str, ...]:
    """The correct key of each store: always the tenant and the agent first."""
    if store is Store.CHAT:
        return (where.tenant_id, where.agent_id, where.platform, where.memory_chat)
    if store is Store.PERSON:
        return (where.tenant_id, where.agent_id, where.platform, where.memory_chat, where.user_id)
    return (where.tenant_id, where.agent_id)


KEEP = 20
"""Entries each chat, person and knowledge base keeps (the oldest go first)."""

_TEACHING = re.compile(r"^\s*(?:please\s+)?remember(?:\s+that|\s*:)\s*(?P<fact>.+)$", re.I | re.S)
_RECALL = re.compile(r"\b(know|remember|recall|tell you|told you|code word)\b", re.I)


def taught_fact(text: str) -> str | None:
    """The fact a message teaches ("Remember: the code word is X"), if it teaches one."""
    found = _TEACHING.match(text)
    return found["fact"].strip() if found else None


def asks_to_recall(text: str) -> bool:
    """A question about what the agent knows or was told ("What is the code word?")."""
    return _is_question(text) and _RECALL.search(text) is not None


def _is_question(text: str) -> bool:
    return "?" in text or "？" in text


@dataclass(frozen=True)
class Recollection:
    """What the agent remembers where a message was said, before that message."""

    knowledge: tuple[str, ...]
    chat: tuple[str, ...]
    person: tuple[str, ...]

    def facts(self) -> list[str]:
        """Every remembered statement once (questions are not facts), oldest first."""
        seen: dict[str, None] = {}
        for line in (*self.knowledge, *self.chat, *self.person):
            if not _is_question(line):
                seen.setdefault(line, None)
        return list(seen)

    def prompt(self, where: Whereabouts, text: str) -> list[dict[str, Any]]:
        """The chat request an agent sends its model, built from this memory."""
        system = "\n".join(
            [
                f"You are {where.agent_name}, chatting on {where.platform}.",
                "Knowledge base: " + (" | ".join(self.knowledge) or "(empty)"),
                f"What you know of {where.nickname}: " + (" | ".join(self.person) or "nothing"),
                "The chat so far: " + (" | ".join(self.chat) or "(nothing yet)"),
            ]
        )
        return [
            {"role": "system", "content": system},
            {"role": "user", "content": f"{where.nickname}: {text}"},
        ]


class Memory:
    """Every agent's memory on one server. Used from the server's one loop only."""

    def __init__(self, keep: int = KEEP) -> None:
        """:param keep: entries each chat, person and knowledge base keeps; 0: none
        (agents that remember nothing, as a memoryless bot)."""
        self.keep = keep
        self._stores: dict[Store, dict[tuple[str, ...], deque[str]]] = {s: {} for s in Store}
        self._shared: dict[str, str] = {}
        """Group id -> the name of the groups it shares memory with."""

    def share(self, group_ids: list[str]) -> None:
        """These groups share one memory from now on (as ``shared_memory_groups`` says)."""
        name = "shared:" + "+".join(sorted(group_ids))
        self._shared.update((group_id, name) for group_id in group_ids)

    def take_in(self, where: Whereabouts, text: str, key: MemoryKey) -> Recollection:
        """What the agent remembers there (before ``text``); then remember ``text``."""
        if where.group_id in self._shared:
            where = replace(where, shared_as=self._shared[where.group_id])
        found = Recollection(*(tuple(self._entries(store, key(store, where))) for store in _ORDER))
        self._entries(Store.CHAT, key(Store.CHAT, where)).append(f"{where.nickname}: {text}")
        self._entries(Store.PERSON, key(Store.PERSON, where)).append(text)
        fact = taught_fact(text)
        if fact is not None:
            self._entries(Store.KNOWLEDGE, key(Store.KNOWLEDGE, where)).append(fact)
        return found

    def _entries(self, store: Store, key: tuple[str, ...]) -> deque[str]:
        return self._stores[store].setdefault(key, deque(maxlen=self.keep))


_ORDER = (Store.KNOWLEDGE, Store.CHAT, Store.PERSON)
"""The order of Recollection's fields."""
