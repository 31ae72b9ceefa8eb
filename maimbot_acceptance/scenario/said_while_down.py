"""What users say while their connection may be down, and what became of it.

A message said while the server is down or the link broken is either refused at
once or goes out and must be answered once the connection is back (judging/outage.py
says how each is told apart). One that went out joins the conversation's exchanges,
so the report shows it and the end of the scenario checks it was answered.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import SendFailed
from ..judging.outage import OutageMessage
from .connections import Connections
from .conversation import Conversation
from .exchange import Exchange
from .roster import Roster
from .stage import Stage


@dataclass
class SaidWhileDown:
    stage: Stage
    roster: Roster
    connections: Connections
    conversation: Conversation
    messages: list[tuple[OutageMessage, Exchange | None]] = field(default_factory=list)
    """Each message, with its exchange if it went out."""

    def try_ask(self, user: str, agent_name: str, text: str) -> OutageMessage:
        """Ask while the connection may be down: a refusal is recorded, not raised."""
        person = self.roster.person(user)
        client = self.connections.connection(user, agent_name)
        who = f"{person.name} to {agent_name}"
        try:
            sent = self.stage.run(
                client.send_text(text, sender=person.chat_user, chat=person.group_chat),
                self.stage.operation_timeout,
            )
        except SendFailed as refusal:
            self.messages.append(
                (OutageMessage(who, client, text, None, refused=str(refusal)), None)
            )
        else:
            agent = self.roster.agent_of(person, agent_name)
            exchange = Exchange(person, agent, client, sent, self.stage.dialect)
            self.conversation.record([exchange])
            self.messages.append((OutageMessage(who, client, text, sent), exchange))
        return self.messages[-1][0]

    def settle(self) -> list[str]:
        """What became of each message, one line each; raises if one that went out is
        never answered."""
        timeout = self.stage.settings.reply_timeout
        for message, exchange in self.messages:
            if exchange is not None:
                self.stage.run(message.settle(exchange.expected_reply(), timeout), timeout)
                exchange.reply = message.reply
        return [message.outcome() for message, _ in self.messages]
