@security
Feature: A key its tenant takes back stops working
  Promise: a key its tenant took back is refused at once, told why, and hears nothing,
  whether the key was deleted, disabled or let expire, or went with its agent or its
  tenant; what became of a connection open with it is reported.
  When a key leaks, the first thing an operator does is take it back. From then on,
  anyone who presents it must be refused at once, in one clear line, and never hear
  anyone's conversation. A connection that was already open with the key when it was
  taken back may be closed by the server (saying why) or kept: that is the server's
  choice, and the report says which it made, and how soon.
  For engineers: MaimConfig's v2 API takes a key back by DELETE /api/v2/api-keys/{id},
  by PUT /api/v2/api-keys/{id} with an expires_at in the past (and, on the reference
  server, status "disabled"), and by deleting the key's agent or tenant; MaiMBot's v1
  config API only deletes agents (its keys are the ids themselves). Where the target's
  control plane has no such way (v1, a cast) the scenario is skipped with the reason
  (docs/protocol.md, "Taking a key back"). MaiMBot saas never validates a key
  (forged_key_accepted) and api_server accepts any (any_api_key): against them these
  scenarios fail by design, after saying what became of the open connection. Each
  scenario makes two tenants: saas slows down past 64 agents in use (docs/real-saas.md).

  Background:
    Given tenant Acme has an agent Helper
    And tenant Beta has an agent Sales
    And Alice of Acme is connected to Helper
    And Bob of Beta is connected to Sales

  @known_gap.forged_key_accepted @known_gap.any_api_key
  Scenario Outline: A key taken back by <how> is refused at once, told why, and hears nothing
    When Acme takes Helper's key back by <how>
    And Mallory connects with Acme's key for Helper
    And Alice asks Helper "Is anyone else listening?" if her connection was kept
    And Bob asks Sales "Our prices go up on Monday"
    Then Alice's connection to Acme's Helper is closed within 2 seconds, told why, or kept; the report says which
    And Mallory is refused within 1 second, told why in one line
    And Bob gets a reply from Sales
    And Mallory receives nothing

    Examples:
      | how                 |
      | deleting it         |
      | disabling it        |
      | letting it expire   |
      | deleting its agent  |
      | deleting the tenant |
