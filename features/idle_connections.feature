Feature: Idle connections stay open
  Promise: an adapter that has nothing to say for a long time is still connected when
  its user speaks again.
  MaiMBot's first integration tests fought keepalive timeouts that dropped quiet
  connections; the server's heartbeat must keep an idle connection alive, with no
  reconnect needed.
  For engineers: the window is the heartbeat the server announces (maim_message's
  defaults: a ping every 25 s, answered within 20 s); -D heartbeat sets the embedded
  server's.

  Scenario: A user who stays quiet for longer than the heartbeat window can still ask
    Given tenant Acme has an agent Helper
    And Alice of Acme is connected to Helper
    When Alice stays quiet for longer than the server's heartbeat window
    And Alice asks Helper "Are you still there?"
    Then Alice gets a reply from Helper in the same chat
