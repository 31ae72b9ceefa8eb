"""Readable names for a recording's tenants, agents and users; placeholders for texts.

A spec says "Alice of Acme asks Helper", never "tenant_9f3c...". Tenants and agents are
named once per feature (their ids go to the cast, which maps names to ids); users only
per scenario (a cast holds no users: the replay gives each user fresh ids). A recorded
nickname is kept when it is a name the steps can say, unless the recording is redacted:
real chats hold personal data, so ``redact`` names users ``User1``, ``User2``, ... and
texts ``message 1``, ``message 2``, ...
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import count

NAME = re.compile(r"[A-Z][A-Za-z0-9_-]*")
"""What ``{x:Name}`` in the steps matches (gherkin.py; cast.py checks the same)."""

TENANTS = (
    "Acme", "Beta", "Globex", "Initech", "Umbrella", "Hooli", "Wonka", "Stark", "Wayne",
    "Tyrell", "Soylent", "Vandelay", "Oscorp", "Aperture", "Monarch", "Gringotts",
)  # fmt: skip
AGENTS = ("Helper", "Sales", "Support", "Billing", "Concierge", "Tutor", "Scout", "Porter")
USERS = (
    "Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi", "Ivan", "Judy",
    "Mallory", "Niaj", "Olivia", "Peggy", "Rupert", "Sybil", "Trent", "Victor", "Walter",
)  # fmt: skip

RESERVED = frozenset({"And", "But", "Given", "When", "Then", "Feature", "Scenario"})


def _names(pool: tuple[str, ...]) -> Iterator[str]:
    """The pool, then the pool again with numbers: Acme, ..., Acme2, ..."""
    yield from pool
    for round_number in count(2):
        for name in pool:
            yield f"{name}{round_number}"


def sayable(nickname: str) -> bool:
    return bool(NAME.fullmatch(nickname)) and nickname not in RESERVED and len(nickname) <= 30


class Names:
    """Names unique within one scope (a feature's tenants, a tenant's agents, ...)."""

    def __init__(self, pool: tuple[str, ...], *, placeholder: str = "") -> None:
        self._pool = _names(pool) if not placeholder else (f"{placeholder}{n}" for n in count(1))
        self._keeps_wanted = not placeholder  # a placeholder hides what was recorded
        self._given: dict[str, str] = {}
        self._taken: set[str] = set()

    def name(self, key: str, wanted: str = "") -> str:
        """The name of ``key``: ``wanted`` if it is sayable and free, else the next free one."""
        known = self._given.get(key)
        if known is not None:
            return known
        keep = self._keeps_wanted and sayable(wanted) and wanted not in self._taken
        chosen = wanted if keep else ""
        while not chosen or chosen in self._taken:
            chosen = next(self._pool)
        self._given[key] = chosen
        self._taken.add(chosen)
        return chosen

    def items(self) -> list[tuple[str, str]]:
        return list(self._given.items())


class Namer:
    """All the names of one feature."""

    def __init__(self, *, redact: bool) -> None:
        self.redact = redact
        self.tenants = Names(TENANTS)
        self.agents: dict[str, Names] = {}
        self._texts = count(1)

    def tenant(self, tenant_id: str) -> str:
        return self.tenants.name(tenant_id)

    def agent(self, tenant_id: str, agent_id: str, nickname: str = "") -> str:
        names = self.agents.setdefault(tenant_id, Names(AGENTS))
        return names.name(agent_id, "" if self.redact else nickname)

    def users(self) -> Names:
        """A fresh scope for one scenario's users."""
        return Names(USERS, placeholder="User" if self.redact else "")

    def text(self, text: str) -> str:
        return f"message {next(self._texts)}" if self.redact else text
