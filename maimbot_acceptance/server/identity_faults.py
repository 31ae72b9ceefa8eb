"""Faults of identity: who may connect, and as whom a message is answered.

The real MaiMBot shows several of these (any key let in, a client-chosen connection id
trusted, a key without the ``tenant_`` prefix answered as the default tenant).
"""

from __future__ import annotations

from collections.abc import Mapping

from maim_message.message import APIMessageBase

from ..wire.dialects import TENANT_AGENT_DEFAULT_KEY, split_tenant_agent_key
from .fault_hooks import Fault, FaultHost
from .registry import KeyVerdict


class AcceptAnyKey(Fault):
    """In the saas dialect a let-in key is filed, as saas files it, under the tenant and
    agent it names: a forged key naming a real agent gets that agent's replies, which is
    saas's forged_key_accepted."""

    name = "accept-any-key"
    summary = (
        "any non-empty api key is accepted (api_server's gap; on saas, a forged key "
        "naming a real agent then gets its replies)"
    )

    def judge_key(self, api_key: str, verdict: KeyVerdict) -> KeyVerdict:
        return KeyVerdict(bool(api_key), "" if api_key else "empty api key")


class AcceptRevokedKey(Fault):
    """Checks a key against what was once minted, never against what was taken back
    since, and leaves connections open on a key that was taken back."""

    name = "accept-revoked-key"
    summary = (
        "a key that was deleted, disabled or expired, or whose agent or tenant was "
        "deleted, is still let in, and its open connections are kept"
    )

    def judge_key(self, api_key: str, verdict: KeyVerdict) -> KeyVerdict:
        return KeyVerdict(True) if verdict.revoked else verdict

    async def keys_revoked(self, revoked: Mapping[str, str]) -> None:
        return None


class TrustMessageKey(Fault):
    name = "trust-message-key"
    summary = (
        "the routing key a message claims decides whose agent answers, and to whom "
        "(saas's reply_follows_claimed_key)"
    )

    def speaking_key(self, connection_key: str, claimed_key: str) -> str:
        return claimed_key or connection_key


class TrustMessagePlatform(Fault):
    name = "trust-message-platform"
    summary = "a reply goes to the platform a message claims (as on MaiMBot), not the sender's"

    def reply_platform(self, connection_platform: str, claimed_platform: str) -> str:
        return claimed_platform or connection_platform


class TrustConnectionId(Fault):
    name = "trust-connection-id"
    summary = "a client may take a live connection's id and its replies (maim_message 0.7.5)"

    def judge_connection_id(self, connection_id: str, verdict: KeyVerdict) -> KeyVerdict:
        return KeyVerdict(True)


class UnprefixedKeyAsDefault(Fault):
    name = "unprefixed-key-as-default"
    summary = (
        "a key whose tenant lacks the 'tenant_' prefix is let in and answered as the "
        "default tenant, to its connections (the real MaiMBot's gap)"
    )

    @staticmethod
    def _unprefixed(api_key: str) -> bool:
        parts = split_tenant_agent_key(api_key)
        return parts is not None and not parts[0].startswith("tenant_")

    def judge_key(self, api_key: str, verdict: KeyVerdict) -> KeyVerdict:
        return KeyVerdict(True) if self._unprefixed(api_key) else verdict

    def speaking_key(self, connection_key: str, claimed_key: str) -> str:
        return TENANT_AGENT_DEFAULT_KEY if self._unprefixed(connection_key) else connection_key


class PersonOfFirstTenant(Fault):
    """A person belongs to the first tenant that met their platform user id: another
    tenant's user with the same id is never recorded, and that tenant's private chat with
    them goes unanswered (saas's colliding_person_unanswered)."""

    name = "person-of-first-tenant"
    summary = (
        "a private message from a user whose platform user id another tenant's user has "
        "is never answered (saas's colliding_person_unanswered)"
    )

    def __init__(self, host: FaultHost) -> None:
        super().__init__(host)
        self._first_tenant: dict[tuple[str, str], str] = {}

    def hears(self, message: APIMessageBase, connection_uuid: str) -> bool:
        sender = message.message_info.sender_info
        if sender is None or sender.user_info is None:
            return True
        tenant = self.host.tenant_of(self.host.connection_keys().get(connection_uuid, ""))
        person = (str(sender.user_info.platform), str(sender.user_info.user_id))
        # Any message meets the person (as saas stores one); only a private chat needs it.
        owner = self._first_tenant.setdefault(person, tenant)
        return owner == tenant or sender.group_info is not None
