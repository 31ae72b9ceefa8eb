"""The shape of a reference reply: from the agent, to the chat that asked, as MaiMBot's.

In the saas dialect it is shaped as saas's (docs/protocol.md, "saas"): the sender is
the bot's one global account for every tenant and agent, and the receiver names the
asker beside the group of a group chat."""

from __future__ import annotations

import time

from maim_message.message import (
    APIMessageBase,
    BaseMessageInfo,
    MessageDim,
    ReceiverInfo,
    Seg,
    SenderInfo,
    UserInfo,
)

from ..wire.dialects import BOT_ACCOUNT_KEY
from ..wire.messages import TARGET_USER, new_message_id
from .registry import AgentRecord

SAAS_BOT = ("1145141919810", "麦麦")
"""saas's bot account (bot_config ``qq_account``, ``nickname``): every reply's sender there."""


def bot_account(agent: AgentRecord, dialect: str) -> str:
    """The user id an agent's replies are sent as: the agent's own id; in the saas
    dialect the bot's one global account."""
    return SAAS_BOT[0] if dialect == "saas" else agent.agent_id


def reply_to(
    question: APIMessageBase,
    agent: AgentRecord,
    key: str,
    platform: str,
    text: str,
    *,
    quoting: bool,
    dialect: str = "reference",
) -> APIMessageBase:
    """A reply shaped like the real server's: from the agent, to the asking chat;
    ``quoting``: as a quote ``seglist`` naming the question (as MaiMBot sometimes does)."""
    info = question.message_info
    asker = info.sender_info
    if dialect == "upstream":
        return upstream_reply(question, agent, key, platform, text, quoting=quoting)
    saas = dialect == "saas"
    if asker is not None and asker.group_info is not None:
        receiver = ReceiverInfo(
            group_info=asker.group_info, user_info=asker.user_info if saas else None
        )
    else:
        receiver = ReceiverInfo(user_info=asker.user_info if asker else None)
    sender_id, sender_name = SAAS_BOT if saas else (agent.agent_id, agent.name)
    segment = Seg("text", text)
    if quoting:
        segment = Seg("seglist", [Seg("reply", info.message_id), segment])
    return APIMessageBase(
        message_info=BaseMessageInfo(
            platform=platform,
            message_id=new_message_id(),
            time=time.time(),
            sender_info=SenderInfo(
                user_info=UserInfo(platform=platform, user_id=sender_id, user_nickname=sender_name)
            ),
            receiver_info=receiver,
        ),
        message_segment=segment,
        message_dim=MessageDim(api_key=key, platform=platform),
    )


def upstream_reply(
    question: APIMessageBase,
    agent: AgentRecord,
    key: str,
    platform: str,
    text: str,
    *,
    quoting: bool,
) -> APIMessageBase:
    """Shaped as upstream MaiBot 1.x shapes a reply (docs/protocol.md, "upstream"): no
    sender, the bot itself as the receiver's user, the group as the receiver's group,
    the target in ``additional_config`` (the only place a private reply names its user);
    routed with the asker's key (upstream labels it with the platform's last speaker's,
    and sends it to every client of the platform: the reference server does neither)."""
    info = question.message_info
    asker = info.sender_info
    group = asker.group_info if asker is not None else None
    user = asker.user_info if asker is not None else None
    target = (
        {"platform_io_target_group_id": group.group_id}
        if group is not None
        else {TARGET_USER: user.user_id if user is not None else ""}
    )
    segment = Seg("text", text)
    if quoting:
        segment = Seg("seglist", [Seg("reply", info.message_id), segment])
    bot = UserInfo(platform=platform, user_id=agent.agent_id, user_nickname="麦麦")
    return APIMessageBase(
        message_info=BaseMessageInfo(
            platform=platform,
            message_id=f"send_api_{int(time.time() * 1000)}",
            time=time.time(),
            additional_config={BOT_ACCOUNT_KEY: agent.agent_id, **target},
            receiver_info=ReceiverInfo(group_info=group, user_info=bot),
        ),
        message_segment=segment,
        message_dim=MessageDim(api_key=key, platform=platform),
    )
