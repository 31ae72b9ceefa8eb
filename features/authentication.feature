@security
Feature: Only a tenant's own agents can connect
  A chat adapter connects with an api key that says which tenant's agent it speaks
  for: "<tenant_id>:<agent_id>". The server must check that key against its tenants
  and agents and refuse any key that does not name an agent of that tenant. The
  refused client must be told so at once, in one clear line (not left waiting), and
  must never hear anyone's conversation.

  A key that names its tenant the wrong way is no better: it must be refused, or
  answered to its sender, and never land with the server's default tenant.

  Known gap: today's MaiMBot accepts any non-empty key (its on_auth is
  bool(api_key), api_server branch, src/common/message/api.py), so the scenarios
  tagged @known_gap.any_api_key fail against it, by design. Skip them, naming the
  gap, with -D known_gaps=skip.

  Background:
    Given tenant Acme has an agent Helper
    And tenant Beta has an agent Sales

  @known_gap.any_api_key
  Scenario Outline: A key <key> is refused at once, saying why
    When Mallory connects with an api key <key>
    Then Mallory is refused within 1 second, told why in one line

    Examples:
      | key                                        |
      | for a tenant that does not exist           |
      | for an agent Acme does not have            |
      | pairing Acme with Beta's agent Sales       |
      | that is only the agent id of Acme's Helper |

  @known_gap.any_api_key
  Scenario: A refused client hears nothing of anyone's conversation
    Given Alice of Acme is connected to Helper
    When Mallory connects with an api key pairing Acme with Beta's agent Sales
    And Alice asks Helper "Our prices go up on Monday"
    Then Mallory is refused within 1 second, told why in one line
    And Alice gets a reply from Helper
    And Mallory receives nothing

  @known_gap.unprefixed_key_is_default_tenant
  Scenario: A key that names its tenant the wrong way reaches no other tenant
    Given Alice of Acme is connected to Helper
    And Dora is connected as the server's default tenant and agent
    When Mallory connects with an api key naming Acme's Helper without the tenant prefix
    And Mallory says "Who else can read this?" if she was let in
    And Alice asks Helper "Our prices go up on Monday"
    Then Alice gets a reply from Helper
    And Dora receives nothing
