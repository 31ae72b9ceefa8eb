Feature: What one tenant tells its agent stays with that tenant
  Promise: what a tenant's users tell an agent (in a group, in private, or as
  knowledge it is taught) is never said to, nor recalled for, another tenant, even
  one whose agent has the same name and whose user has the same user id, nickname
  and group on the same platform.
  An LLM-backed agent leaks through its memory: the chat's history, what it knows of
  a person, its knowledge base, all of which meet in the prompt its model is sent.
  For engineers: each code word is a canary made up for the scenario, which no model
  could guess. Two witnesses read for it: every message another tenant's connections
  received (case, width, spacing and punctuation aside; split over several messages
  or not), and, through the LLM tap (-D llm_tap, docs/llm-tap.md), every prompt built
  while answering another tenant, found by its questions' own marker words. Acme's own
  later question must bring the code word back (in a prompt or a reply): a target
  that shows no memory of it is "not checked", never held. A code word told in
  private needs a private answer: api_server gives none (@known_gap.private_chats_unanswered),
  and saas none to a user whose user id another tenant's user has
  (@known_gap.colliding_person_unanswered).

  Background:
    Given tenant Acme has an agent Helper
    And tenant Beta has an agent Helper
    And Alice of Acme is connected to Helper
    And Bob of Beta, who has Alice's user id and nickname, is connected to Helper

  @known_gap.platform_broadcast
  Scenario: What Alice tells Helper in her group never reaches Bob of Beta in the group of the same id
    When Alice tells Helper a code word in her group, over several turns
    And Bob asks Helper in his group "What is the code word?"
    And Alice asks Helper in her group "What is the code word?"
    Then Helper remembers Acme's code word for its own users
    And nothing another tenant's users received carries a code word not theirs
    And no prompt built while answering another tenant carries a code word not theirs

  @known_gap.private_chats_unanswered @known_gap.colliding_person_unanswered @known_gap.platform_broadcast
  Scenario: What Helper learns from Alice in private is never told to Bob of Beta, who has her user id
    When Alice tells Helper a code word in private, over several turns
    And Bob asks Helper in private "What do you know about Alice?"
    And Alice asks Helper in private "What is the code word?"
    Then Helper remembers Acme's code word for its own users
    And nothing another tenant's users received carries a code word not theirs
    And no prompt built while answering another tenant carries a code word not theirs

  @known_gap.private_chats_unanswered
  Scenario: What Acme teaches its Helper is no part of Beta's Helper's knowledge
    Given Carol of Beta is connected to Helper
    When Alice teaches Helper a code word in private
    And Carol asks Helper in her group "What is the code word?"
    And Alice asks Helper in her group "What is the code word?"
    Then Helper remembers Acme's code word for its own users
    And nothing another tenant's users received carries a code word not theirs
    And no prompt built while answering another tenant carries a code word not theirs
