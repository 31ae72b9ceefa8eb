Feature: Tenant isolation
  Promise: a reply reaches every connection of the agent that gave it, on the
  platform it was asked on, and no other connection, whoever owns it.
  Multi-tenancy is why MaiMBot exists, and its worst failure is one tenant seeing
  another's conversation. A tenant may run several adapters or devices side by
  side: each of them gets the reply. A connection may of course receive the replies
  to its own questions.
  For engineers: each "receives nothing" watches for a short window (-D
  quiet_window, shared by every connection the step names) and only after a reply
  has reached its rightful owner in the same scenario: a server that answers nobody
  would otherwise pass.

  @known_gap.platform_broadcast
  Scenario: Two tenants with agents of the same name never see each other's conversations
    Given tenant Acme has an agent Helper
    And tenant Beta has an agent Helper
    And Alice of Acme is connected to Helper
    And Bob of Beta is connected to Helper
    When Alice asks Helper "Our launch date is the 3rd, keep it to yourself"
    And Bob asks Helper "What did the last customer tell you?"
    Then Alice gets a reply from Helper
    And Bob gets a reply from Helper
    And neither Alice nor Bob receives anything else

  @known_gap.reply_labelled_with_last_speaker
  Scenario: A reply is marked for the tenant that asked, even when another tenant spoke since
    Given tenant Acme has an agent Helper
    And tenant Beta has an agent Helper
    And Alice of Acme is connected to Helper
    And Bob of Beta is connected to Helper
    When Alice asks Helper "Can you check our order?"
    And Bob asks Helper "Is the shop open today?"
    Then Alice gets a reply from Helper
    And the reply to Alice is marked as Acme's

  Scenario: One agent's reply never reaches the tenant's connection to another agent
    Given tenant Acme has agents Helper and Sales
    And Alice of Acme is connected to Helper and Sales
    When Alice asks Helper "Please keep this away from Sales"
    Then Alice gets a reply from Helper
    And Alice's connection to Sales receives nothing

  Scenario: A reply on one platform never reaches the agent's connection on another
    Given tenant Acme has an agent Helper
    And Alice of Acme is connected to Helper on "qq" and on "test"
    When Alice asks Helper on "qq": "Only on QQ, please"
    Then Alice gets a reply from Helper
    And Alice's connection to Helper on "test" receives nothing

  Scenario: Every connection of the agent on that platform gets the reply
    Given tenant Acme has an agent Helper
    And Alice of Acme is connected to Helper from two devices
    When Alice asks Helper from her first device: "Can both my devices see this?"
    Then the reply from Helper reaches both of Alice's devices
