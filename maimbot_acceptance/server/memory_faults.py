"""Memory faults: an agent's memory keyed by less than whose it is.

Each is a seam a multi-tenant bot can really have (MaiMBot's saas branch keys a person
by platform and user id alone); the canary scenarios (features/tenant_memory.feature)
must catch every one, by a tenant that shares the ids but not the tenant.
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


class SharedKnowledgeBase(Fault):
    name = "shared-knowledge-base"
    summary = "one knowledge base serves every tenant's agents"

    def memory_key(self, store: Store, where: Whereabouts) -> tuple[str, ...]:
        if store is Store.KNOWLEDGE:
            return ()
        return memory_key(store, where)
