Feature: Idle connections stay open
  A chat adapter may have nothing to say for a long time, and must still be
  connected when its user speaks again. MaiMBot's first integration tests fought
  keepalive timeouts that dropped quiet connections; the server's heartbeat must
  keep an idle connection alive, with no reconnect needed.

  Scenario: A user who stays quiet for longer than the heartbeat window can still ask
    Given tenant Acme has an agent Helper
    And Alice of Acme is connected to Helper
    When Alice stays quiet for longer than the server's heartbeat window
    And Alice asks Helper "Are you still there?"
    Then Alice gets a reply from Helper in the same chat
