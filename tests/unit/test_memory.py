"""The reference agents' memory: keyed by whose it is, recalled only when asked."""

from __future__ import annotations

from dataclasses import replace

import pytest

from maimbot_acceptance.server.fault_hooks import Fault
from maimbot_acceptance.server.memory import Memory, Whereabouts, asks_to_recall, taught_fact
from maimbot_acceptance.server.memory_faults import (
    GroupByGroupId,
    MemoryWithoutTenant,
    OneHistoryPerAgent,
    PersonAcrossChats,
    PersonByUserId,
    SharedKnowledgeBase,
)

ALICE = Whereabouts("tenant_a", "agent_a", "Helper", "test", "group_1", "user_1", "Alice")
TWIN = replace(ALICE, tenant_id="tenant_b", agent_id="agent_b")
"""Another tenant's Helper, asked by a user with Alice's ids in a group of the same id."""


def told_then_asked(fault: type[Fault], asker: Whereabouts) -> list[str]:
    memory, key = Memory(), fault(None).memory_key
    memory.take_in(ALICE, "Remember: the code word is PLUM", key)
    memory.take_in(replace(ALICE, group_id=""), "My locker is 42", key)
    return memory.take_in(asker, "What is the code word?", key).facts()


def test_the_correct_keys_recall_a_tenants_memory_for_it_alone():
    assert told_then_asked(Fault, ALICE) == [
        "the code word is PLUM",
        "Alice: Remember: the code word is PLUM",
        "Remember: the code word is PLUM",
    ]
    assert told_then_asked(Fault, TWIN) == []


def test_what_is_said_in_one_chat_is_recalled_there_alone_and_in_chats_shared_on_purpose():
    kitchen, attic = replace(ALICE, group_id="group_2"), replace(ALICE, group_id="group_3")
    private = replace(ALICE, group_id="")
    memory, key = Memory(), Fault(None).memory_key
    memory.share(["group_1", "group_2"])
    memory.take_in(ALICE, "My locker is 42", key)
    assert memory.take_in(attic, "What did I tell you?", key).facts() == []
    assert memory.take_in(private, "What did I tell you?", key).facts() == []
    assert "My locker is 42" in memory.take_in(kitchen, "What did I tell you?", key).facts()


@pytest.mark.parametrize(
    ("fault", "asker"),
    [
        (OneHistoryPerAgent, replace(ALICE, group_id="group_2", user_id="user_2")),
        (PersonAcrossChats, replace(ALICE, group_id="group_2")),
    ],
)
def test_each_chat_fault_recalls_one_chats_words_in_another(fault, asker):
    memory, key = Memory(), fault(None).memory_key
    memory.take_in(ALICE, "My locker is 42", key)
    assert any("My locker is 42" in fact for fact in memory.take_in(asker, "What?", key).facts())


@pytest.mark.parametrize(
    ("fault", "asker", "leaked"),
    [
        (MemoryWithoutTenant, TWIN, "My locker is 42"),
        (PersonByUserId, TWIN, "My locker is 42"),
        (GroupByGroupId, TWIN, "Alice: Remember: the code word is PLUM"),
        (
            SharedKnowledgeBase,
            replace(TWIN, user_id="user_2", group_id="group_2"),
            "the code word is PLUM",
        ),
    ],
)
def test_each_memory_fault_recalls_another_tenants_words(fault, asker, leaked):
    assert leaked in told_then_asked(fault, asker)


def test_a_memory_of_size_zero_remembers_nothing():
    memory, key = Memory(keep=0), Fault(None).memory_key
    memory.take_in(ALICE, "Remember: the code word is PLUM", key)
    assert memory.take_in(ALICE, "What is the code word?", key).facts() == []


def test_what_counts_as_teaching_and_as_asking_to_recall():
    assert taught_fact("Please remember that the shop opens at 9") == "the shop opens at 9"
    assert taught_fact("I remember the old days") is None
    assert asks_to_recall("What do you know about Alice? (ref 1a2b)")
    assert not asks_to_recall("What can you do?")
    assert not asks_to_recall("Remember: the code word is PLUM")


def test_the_prompt_carries_the_memory_and_the_message():
    memory = Memory()
    memory.take_in(ALICE, "The code word is PLUM", Fault(None).memory_key)
    recollection = memory.take_in(ALICE, "Hello (ref 9f)", Fault(None).memory_key)
    system, user = recollection.prompt(ALICE, "Hello (ref 9f)")
    assert "The code word is PLUM" in system["content"]
    assert user == {"role": "user", "content": "Alice: Hello (ref 9f)"}
