"""The pure rules a scenario judges by: no loop, no server, only what was received.

Each takes plain facts (what was sent, what arrived, who asked whom) and returns
what breaks the rule, one line each, or the matcher a message must not match.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from hamcrest import is_not
from hamcrest.core.matcher import Matcher

from ..wire.client import TenantMessageClient
from ..wire.dialects import Dialect
from ..wire.inbox import Arrival
from ..wire.messages import Chat, ChatMessage, SentMessage
from .matchers import addressed_to_one_of, anything_but, every, from_agent, on_platform, quoting


class Turn(Protocol):
    """A message sent and, once it came, its reply."""

    @property
    def sent(self) -> SentMessage: ...

    @property
    def reply(self) -> Arrival | None: ...


def misplaced_quotes(turns: Sequence[Turn]) -> list[str]:
    """Replies that quote a message other than the one they answer, one line each.

    The order witness any server gives: a quote reply (MaiMBot quotes some replies,
    the reference server every third) names the message it answers.
    """
    turn_of = {t.sent.message_id: n for n, t in enumerate(turns, start=1)}
    misplaced = []
    for number, turn in enumerate(turns, start=1):
        reply = turn.reply
        if reply is None or not reply.message.is_quote_reply:
            continue
        if not quoting(turn.sent.message_id).matches(reply.message):
            quoted = reply.message.quoted_message_id
            misplaced.append(
                f"the reply to #{number} ({turn.sent.text[:40]!r}) quotes "
                f"#{turn_of.get(quoted or '', '?')} ({quoted})"
            )
    return misplaced


def quoted_replies(turns: Sequence[Turn]) -> int:
    """How many of the turns' replies quote a message."""
    return sum(1 for t in turns if t.reply is not None and t.reply.message.is_quote_reply)


def repeated_replies(
    replies: Sequence[ChatMessage], asked: int, own_ids: Sequence[str] = ()
) -> list[str]:
    """What breaks "one message, one reply" among the ``replies`` to ``asked`` messages,
    one line each: more replies than messages, one reply sent twice (its message id
    and its text again: upstream's ids are the millisecond it was sent, ``send_api_<ms>``,
    so two different replies of one millisecond share an id), two replies quoting one
    message, a reply quoting the agent's own message (``own_ids``: its messages the
    platform reported back)."""
    broken = []
    if len(replies) > asked:
        broken.append(f"{len(replies)} replies to {asked} message(s)")
    seen: set[tuple[str, str]] = set()
    quoted: set[str] = set()
    for number, reply in enumerate(replies, start=1):
        if reply.message_id and (reply.message_id, reply.text) in seen:
            broken.append(f"reply {number} is reply {reply.message_id} again")
        seen.add((reply.message_id or "", reply.text))
        quote = reply.quoted_message_id
        if quote and quote in quoted:
            broken.append(f"reply {number} quotes {quote}, which an earlier reply quoted")
        if quote and quote in own_ids:
            broken.append(f"reply {number} quotes the agent's own message {quote}")
        quoted.add(quote or "")
    return broken


def misdelivered(clients: Iterable[TenantMessageClient], dialect: Dialect) -> list[str]:
    """Every message, on any connection, that its agent did not send: one line each."""
    return [
        f"{client.label} got #{arrival.seq + 1}: {arrival.message.describe()}"
        for client in clients
        for arrival in client.inbox.arrivals
        if not from_agent(client.api_key, client.agent_id, dialect=dialect).matches(arrival.message)
    ]


def never_to_receive(
    client: TenantMessageClient, strangers: Sequence[Chat], dialect: Dialect
) -> Matcher[ChatMessage]:
    """The silence rule: what a connection (its key, on its platform) must never receive.

    A reply reaches every connection of its agent on its platform, so the connection
    may get any reply of its own agent there, except one addressed to ``strangers``:
    the chats of people in the scenario who never asked that agent there. Such a
    reply answers a message the server should not have routed here (a spoofed key,
    a claimed platform). Replies to people outside the scenario belong to other
    scenarios (a cast shares agents).
    """
    allowed = every(
        from_agent(client.api_key, client.agent_id, dialect=dialect),
        on_platform(client.platform),
    )
    if strangers:
        allowed = every(allowed, is_not(addressed_to_one_of(strangers)))
    return anything_but(
        [allowed], "a reply of its own agent, on its platform, to someone who asked it there"
    )
