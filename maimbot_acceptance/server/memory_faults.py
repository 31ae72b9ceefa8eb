"""Memory faults: an agent's memory keyed by less than whose it is.

Each is a seam a multi-tenant bot can really have (MaiMBot's saas branch keys a person
by platform and user id alone; upstream MaiBot keeps person profiles global, not per
group); the canary scenarios must catch every one: features/tenant_memory.feature by a
tenant that shares the ids but not the tenant, features/chat_memory.feature by another
chat of the same agent.
"""

from __future__ import annotations

from .fault_hooks import Fault
from .memory import Store, Whereabouts, memory_key


class MemoryWithoutTenant(Fault):
    name = "memory-without-tenant"
    summary = "an agent's memory is keyed by its name and the chat, not by its tenant"

    def memory_key(self, store: Store, where: Whereabouts) -> tuple[str, ...]:
        if store is Store.CHAT:
            return (where.agent_name, where.platform, where.chat)
        if store is Store.PERSON:
            return (where.agent_name, where.platform, where.user_id)
        return (where.agent_name,)


class PersonByUserId(Fault):
    name = "person-by-user-id"
    summary = "what an agent knows of a person is keyed by platform and user id alone"

    def memory_key(self, store: Store, where: Whereabouts) -> tuple[str, ...]:
        if store is Store.PERSON:
            return (where.platform, where.user_id)
        return memory_key(store, where)


class GroupByGroupId(Fault):
    name = "group-by-group-id"
    summary = "a group chat's history is keyed by platform and group id alone"

    def memory_key(self, store: Store, where: Whereabouts) -> tuple[str, ...]:
        if store is Store.CHAT and where.group_id:
            return (where.platform, where.chat)
        return memory_key(store, where)


class OneHistoryPerAgent(Fault):
    name = "one-history-per-agent"
    summary = "an agent keeps one chat history for all its chats: one group's words reach another"

    def memory_key(self, store: Store, where: Whereabouts) -> tuple[str, ...]:
        if store is Store.CHAT:
            return (where.tenant_id, where.agent_id, where.platform)
        return memory_key(store, where)


class PersonAcrossChats(Fault):
    name = "person-across-chats"
    summary = "what an agent knows of a person follows them from chat to chat"

    def memory_key(self, store: Store, where: Whereabouts) -> tuple[str, ...]:
        if store is Store.PERSON:
            return (where.tenant_id, where.agent_id, where.platform, where.user_id)
        return memory_key(store, where)


class SharedKnowledgeBase(Fault):
    name = "shared-knowledge-base"
    summary = "one knowledge base serves every tenant's agents"

    def memory_key(self, store: Store, where: Whereabouts) -> tuple[str, ...]:
        if store is Store.KNOWLEDGE:
            return ()
        return memory_key(store, where)
