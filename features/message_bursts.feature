Feature: A burst of messages
  Promise: every message of a burst is answered once, in the order it was sent, and
  none is lost.
  A busy group chat sends many messages within milliseconds. Each must be answered
  once, in the order it was sent, and none lost: a reply out of order, missing or
  twice confuses the chat.
  For engineers: the first scenario is tagged @known_gap.burst_partly_answered
  (docs/protocol.md, api_server defect 5); -D known_gaps=skip skips it, naming the gap, while the gap is open.

  Background:
    Given tenant Acme has an agent Helper
    And Alice of Acme is connected to Helper

  @known_gap.burst_partly_answered
  Scenario: Fifty messages sent at once get fifty replies, in order, none twice
    Given Alice has asked Helper "Hello" and got a reply
    When Alice sends Helper 50 messages in a burst, without waiting for replies
    Then Alice gets 50 replies from Helper, one per message
    And every reply that quotes a message quotes the one in its place in the burst
    And no further reply arrives

  @use.with_server=reference
  Scenario: The echo agent answers a burst word for word, in order
    When Alice sends Helper 50 messages in a burst, without waiting for replies
    Then Alice gets 50 replies from Helper, one per message
    And the replies echo the messages in the order they were sent
