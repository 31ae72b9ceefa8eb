Feature: A burst of messages
  A busy group chat sends many messages within milliseconds. Each must be answered
  once, in the order it was sent, and none lost: a reply out of order, missing or
  twice confuses the chat.

  Known gap: today's MaiMBot treats most of a burst as already read, answering 2 to
  4 messages of 10 (in order, none twice; PROTOCOL.md). Against it the first scenario
  fails, by design; skip it, naming the gap, with -D known_gaps=skip while the gap is
  open.

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
