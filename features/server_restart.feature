Feature: The server restarts
  Promise: after the server restarts, users carry on, and nothing they said while it
  was down is silently lost.
  A deployment is restarted for upgrades, and sometimes dies. Users' adapters must
  reconnect once it is back and carry on. A message sent while the server is down
  must never be silently lost: either the adapter refuses it at once and says so,
  or it is delivered after the reconnect and answered. The scenario reports which.
  It needs a server the suite can stop and start itself.
  For engineers: maim_message 0.7.5's clients never reconnect after a graceful stop
  (they do after a hard kill), so reconnecting is the adapter's job: here the
  suite's own client does it. Tagged @use.with_server_control=embedded: it runs
  against the embedded reference server only.

  @use.with_server_control=embedded
  Scenario Outline: Users carry on after the server restarts (<how>)
    Given tenant Acme has an agent Helper
    And Alice of Acme is connected to Helper
    And Alice has asked Helper "Hello" and got a reply
    When the server <goes down>
    Then Alice's client notices at once that the connection is gone, <goodbye>
    When Alice asks Helper "Is anyone there?" while the server is down
    And the server comes back on the same address
    And Alice's connection to Helper is restored
    Then nothing Alice said while the server was down was silently lost
    When Alice asks Helper "Are you back?"
    Then Alice gets a reply from Helper in the same chat

    Examples:
      | how        | goes down        | goodbye           |
      | graceful   | stops gracefully | with a goodbye    |
      | hard kill  | is killed        | without a goodbye |
