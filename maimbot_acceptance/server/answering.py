"""An agent's turn: what it heard goes into its memory, its prompt to its model, and
its answers out through the fault's ``deliver``.

Who answers and where is the policy's decision (``policy.py``); where each answer goes
is the policy's routing, sent by whichever wire each connection is on.
"""

from __future__ import annotations

import asyncio

from maim_message.message import APIMessageBase

from ..wire.messages import text_of
from .agents import behaviour_of
from .fault_hooks import Fault, Send
from .memory import Memory, Whereabouts
from .model import Model
from .policy import Answerer
from .replies import bot_account, reply_to


class Answering:
    """The agents' answers, one model consultation at a time per chat."""

    def __init__(
        self, memory: Memory, model: Model, fault: Fault, *, quote_every: int, dialect: str
    ) -> None:
        self.memory = memory
        self.model = model
        self.fault = fault
        self.quote_every = quote_every
        self.dialect = dialect
        self.replies_sent = 0
        self._turns: dict[tuple[str, str, str], asyncio.Lock] = {}

    async def answer(self, message: APIMessageBase, answerer: Answerer, send: Send) -> None:
        agent, key, platform = answerer.agent, answerer.key, answerer.platform
        message = self.fault.understood(message)
        segment = message.message_segment
        heard = text_of(segment.to_dict())
        where = Whereabouts.of(message, agent, platform)
        if not self.fault.answers(where, bot_account(agent, self.dialect)):
            return
        memory = self.memory.take_in(where, heard, self.fault.memory_key)
        # One model consultation at a time per chat, in the order the messages came:
        # each reply then starts out in that order, as it did before the model was
        # asked (a burst's replies keep the burst's order).
        async with self._turns.setdefault((key, platform, where.chat), asyncio.Lock()):
            # The reply's words are the agent's own (reference scenarios read them
            # exactly); the model is asked so that the prompt built from memory can be
            # witnessed at the tap.
            await self.model.ask(memory.prompt(where, heard))
        for text in behaviour_of(agent)(agent, heard, segment.type, memory):
            self.replies_sent += 1
            quoting = bool(self.quote_every) and self.replies_sent % self.quote_every == 0
            reply = reply_to(
                message, agent, key, platform, text, quoting=quoting, dialect=self.dialect
            )
            await self.fault.deliver(reply, send)
