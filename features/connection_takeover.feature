@security
Feature: A live connection cannot be taken over
  Promise: nobody can take over a live connection and read the replies meant for it.
  Each connection carries an id that the server uses to deliver replies to it. Ids
  are not secret (they travel in logs and proxies), so a server must refuse a second
  client that presents the id of a live connection: otherwise that client takes the
  connection's place and from then on receives its replies, another tenant's
  conversation included, while the rightful owner hears nothing.
  For engineers: with maim_message the client chooses that id (its x-uuid header),
  and maim_message 0.7.5's server trusts it. MaiMBot runs that server unchanged, so
  the scenario tagged @known_gap.connection_id_takeover fails against it, by design
  (-D known_gaps=skip skips it, naming the gap).

  @known_gap.connection_id_takeover
  Scenario: Another tenant's client presenting Alice's connection id is refused, and Alice keeps her replies
    Given tenant Acme has an agent Helper
    And tenant Evil has an agent Helper
    And Alice of Acme is connected to Helper
    When Eve of Evil connects to Helper with the connection id of Alice's connection to Helper
    And Alice asks Helper "What is our launch date?"
    Then Eve is refused within 1 second, told why in one line
    And Alice gets a reply from Helper
    And Eve receives nothing
