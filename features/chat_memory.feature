Feature: What is said in one chat stays in that chat
  Promise: what people tell an agent in one chat (a group, or a private chat) is never
  recalled in another chat of the same agent: not in another group, not from a
  private chat into a group nor from a group into a private chat, and not to a person
  who is in both groups. Only chats that the operator lets share memory on purpose
  share it, and no others.
  MaiBot's users report memory bleeding between groups, and posts landing in the wrong
  ones; an agent's memory (a chat's history, what it knows of each person) meets in
  the prompt its model is sent.
  For engineers: the code words and both witnesses are the tenant canaries' (see
  tenant_memory.feature): every reply addressed to the other chat, and every prompt the
  LLM tap saw while answering there. The chat where the code word was told must bring
  it back, or the scenario is "not checked". Which groups share memory on purpose: -D
  shared_memory_groups against a deployment; the embedded server is told. A code word
  told or asked for in private needs a private answer: api_server gives none
  (@known_gap.private_chats_unanswered).

  Background:
    Given tenant Acme has an agent Helper
    And Alice of Acme is connected to Helper
    And Bob of Acme is connected to Helper

  Scenario: What Alice tells Helper in one group is not recalled in another group
    When Alice tells Helper a code word in the group Garden, over several turns
    And Bob asks Helper in the group Kitchen "What is the code word?"
    And Alice asks Helper in the group Garden "What is the code word?"
    Then Helper remembers the code word when Alice asks in the group Garden
    And no reply in one chat carries a code word from a chat whose memory it does not share
    And no prompt built for one chat carries a code word from a chat whose memory it does not share

  Scenario: What Alice says in one group is not recited to her in another
    When Alice tells Helper a code word in the group Garden, over several turns
    And Alice asks Helper in the group Kitchen "What did I tell you?"
    And Alice asks Helper in the group Garden "What is the code word?"
    Then Helper remembers the code word when Alice asks in the group Garden
    And no reply in one chat carries a code word from a chat whose memory it does not share
    And no prompt built for one chat carries a code word from a chat whose memory it does not share

  @known_gap.private_chats_unanswered
  Scenario: What Alice tells Helper in private is not recalled in a group
    When Alice tells Helper a code word in private, over several turns
    And Bob asks Helper in the group Kitchen "What do you know about Alice?"
    And Alice asks Helper in private "What is the code word?"
    Then Helper remembers the code word when Alice asks in private
    And no reply in one chat carries a code word from a chat whose memory it does not share
    And no prompt built for one chat carries a code word from a chat whose memory it does not share

  @known_gap.private_chats_unanswered
  Scenario: What Alice tells Helper in a group is not recalled in Bob's private chat
    When Alice tells Helper a code word in the group Garden, over several turns
    And Bob asks Helper in private "What is the code word?"
    And Alice asks Helper in the group Garden "What is the code word?"
    Then Helper remembers the code word when Alice asks in the group Garden
    And no reply in one chat carries a code word from a chat whose memory it does not share
    And no prompt built for one chat carries a code word from a chat whose memory it does not share

  Scenario: Groups that share memory on purpose share it, and no other group does
    Given the groups Garden and Kitchen share memory on purpose
    When Alice tells Helper a code word in the group Garden, over several turns
    And Bob asks Helper in the group Attic "What is the code word?"
    And Bob asks Helper in the group Kitchen "What is the code word?"
    Then Helper remembers the code word when Bob asks in the group Kitchen
    And no reply in one chat carries a code word from a chat whose memory it does not share
    And no prompt built for one chat carries a code word from a chat whose memory it does not share
