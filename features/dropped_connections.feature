Feature: A dropped connection
  Promise: a user whose connection dropped comes back at once and carries on, and
  gets every reply exactly once.
  Networks fail and adapters crash: a connection can vanish without a goodbye.
  The user must be able to come back at once and carry on, every reply must reach
  them exactly once, and the server must let go of the dead connection rather
  than keep routing replies into it.
  For engineers: coming back takes milliseconds, so the question after it follows the
  reply to "Hello" closely, and the first scenario is tagged with the known gap
  follow_up_taken_as_read.

  Background:
    Given tenant Acme has an agent Helper
    And Alice of Acme is connected to Helper

  @known_gap.follow_up_taken_as_read
  Scenario: A user whose connection dropped comes back and carries on
    Given Alice has asked Helper "Hello" and got a reply
    When Alice's connection to Helper drops without a goodbye
    And Alice's connection to Helper is restored
    And Alice asks Helper "I am back, did you miss me?"
    Then Alice gets a reply from Helper in the same chat
    And Alice got exactly one reply from Helper to each of her questions

  @use.with_server_control=embedded
  Scenario: The server lets go of a connection that dropped without a goodbye
    Given the server holds Alice's connection to Helper
    When Alice's connection to Helper drops without a goodbye
    Then the server lets go of Alice's dropped connection within the heartbeat window
