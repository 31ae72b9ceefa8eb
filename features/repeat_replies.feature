Feature: One message, one reply, even over time
  Promise: every message a user sends gets at most one reply from the agent: not a
  second one a moment later, and a burst answered all at once still gets one reply per
  message it answers.
  MaiBot's users report duplicate replies to one message, sometimes seconds apart.
  For engineers: the agent's replies in the user's chats are counted over the repeat
  window (-D repeat_window, three quiet windows by default) after the replies came:
  no more replies than messages, no reply sent twice, no message quoted twice. A reply
  that the server splits into several messages counts as several (MaiBot's splitter;
  the rehearsal turns it off).

  Background:
    Given tenant Acme has an agent Helper
    And Alice of Acme is connected to Helper

  Scenario: Each message gets one reply, even a while later, and a burst no more than one each
    Given Alice has asked Helper "Hello" and got a reply
    When Alice sends Helper 3 messages in a burst, without waiting for replies
    Then Helper answers at least one of Alice's messages
    And no message of Alice's gets a second reply from Helper within the repeat window
