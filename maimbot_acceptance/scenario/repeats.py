"""Replies over time: one per message, even a while later, and none to the agent's own
messages when the platform reports them back (as platforms echo what the bot sent).

Everything a user's connection received from the agent in the chats the user spoke in
is counted over the repeat window (userdata ``repeat_window``): a second reply to a
message, or an answer to the agent's own message, may come seconds after the first.
The rule itself is ``judging.rules.repeated_replies``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hamcrest.core.matcher import Matcher

from ..errors import NoMatchingMessage, NotApplicable, ScenarioError
from ..judging.matchers import addressed_to_one_of, every, from_agent
from ..judging.rules import repeated_replies
from ..wire.inbox import Arrival
from ..wire.messages import ChatMessage, ChatUser, text_segment
from .conversation import Conversation
from .exchange import Exchange
from .stage import Stage


@dataclass
class Repeats:
    stage: Stage
    conversation: Conversation
    echoes: list[Exchange] = field(default_factory=list)
    """The agent's own messages, reported back by the platform."""

    def report_back(self, user: str, agent_name: str) -> Exchange:
        """``user``'s adapter reports the agent's last reply to them back to the server,
        as platforms echo a message the bot sent: its text, in its chat, sent by the
        bot's account (read from the reply; where replies do not say, -D bot_account or
        the cast's bot account on that platform)."""
        answered = self.conversation.last_exchange(user, agent_name)
        reply = answered.answer().message
        echo = self.conversation.say(
            user,
            agent_name,
            text_segment(reply.text),
            kind=answered.sent.chat,
            sender=self._bot_account(reply, answered.sent.platform),
        )
        self.echoes.append(echo)
        return echo

    def _bot_account(self, reply: ChatMessage, platform: str) -> ChatUser:
        if reply.sender_id:
            return ChatUser(reply.sender_id, reply.sender_name or reply.sender_id)
        account = self.stage.settings.bot_account or self.stage.bot_accounts.get(platform, "")
        if not account:
            raise NotApplicable(
                "not checked: this target's replies do not name the account they are sent "
                "as, so the suite cannot report one back as the bot's (-D bot_account=<user id>, "
                "or the cast's [bot_accounts])"
            )
        return ChatUser(account, account)

    def await_any_reply(self, user: str, agent_name: str) -> Arrival:
        """At least one reply from the agent, since ``user``'s first message to it, in a
        chat they asked in (a positive control: a server that answers nobody repeats
        nothing)."""
        asked = self._asked(user, agent_name)
        first = asked[0]
        timeout = self.stage.settings.reply_timeout
        arrival = self.stage.run(
            first.client.inbox.wait_for(
                self._replies_to(asked),
                timeout,
                since=first.sent.inbox_mark,
                context=first.context(),
            ),
            timeout,
        )
        self.conversation.positive_controls += 1
        return arrival

    def expect_no_repeats(self, user: str, agent_name: str) -> str:
        """Over the repeat window: no more replies than ``user``'s messages, none twice,
        no message quoted twice, and none to the agent's own messages reported back.
        Fails at the first reply too many; returns what was counted."""
        asked = self._asked(user, agent_name)
        questions = [e for e in asked if e not in self.echoes]
        if not self.conversation.positive_controls:
            raise ScenarioError("no reply has reached its asker yet: silence proves nothing")
        first, window = asked[0], self.stage.settings.repeat_span
        matcher = self._replies_to(asked)
        context = f"{user} said {len(questions)} message(s) to {agent_name}" + (
            f", and the platform reported {len(self.echoes)} of its own back" if self.echoes else ""
        )
        try:
            too_many = self.stage.run(
                first.client.inbox.wait_for_count(
                    matcher,
                    len(questions) + 1,
                    window,
                    since=first.sent.inbox_mark,
                    context=context,
                ),
                window,
            )
        except NoMatchingMessage:
            too_many = []
        replies = [a.message for a in first.client.inbox.matching(matcher, first.sent.inbox_mark)]
        broken = repeated_replies(replies, len(questions), [e.sent.message_id for e in self.echoes])
        if too_many or broken:
            raise AssertionError(
                f"one message, one reply, within {window:g} s: {context}; "
                + "; ".join(broken)
                + "\n"
                + first.client.inbox.transcript(matcher, first.sent.inbox_mark)
            )
        return f"{len(replies)} reply(ies) over {window:g} s; {context}"

    def _asked(self, user: str, agent_name: str) -> list[Exchange]:
        client = self.conversation.last_exchange(user, agent_name).client
        return [e for e in self.conversation.exchanges if e.client is client]

    def _replies_to(self, asked: list[Exchange]) -> Matcher[ChatMessage]:
        agent = asked[0].agent
        return every(
            from_agent(agent.api_key, agent.agent_id, agent.name, dialect=self.stage.dialect),
            addressed_to_one_of(list(dict.fromkeys(e.sent.chat for e in asked))),
        )
