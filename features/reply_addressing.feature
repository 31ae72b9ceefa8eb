Feature: A reply goes to the chat it answers
  Promise: a reply goes to the chat of the message it answers, in every kind of chat:
  a group whose name is empty is still a group, not a private chat; and a reply that
  quotes a message quotes the one it answers.
  MaiBot's users report groups without a name taken for private chats, and replies
  quoting the wrong message.
  For engineers: servers quote some replies at their own choice (the reference server
  every third); a conversation in which no reply quoted is "not checked". A private
  chat needs a private answer: api_server gives none
  (@known_gap.private_chats_unanswered).

  Background:
    Given tenant Acme has an agent Helper
    And Alice of Acme is connected to Helper

  Scenario: A question in a group with no name is answered to that group
    When Alice asks Helper "Is anyone here?" in a group with no name
    Then Alice gets a reply from Helper in the same chat

  Scenario Outline: A reply that quotes a message quotes the one it answers, in <chat>
    When Alice has this conversation with Helper in <chat>, waiting for each reply:
      | Alice says         |
      | Good morning       |
      | Is the shop open?  |
      | Thank you, bye     |
    Then every reply that quotes a message quotes the one it answers

    Examples:
      | chat                 |
      | her group            |
      | a group with no name |

    @known_gap.private_chats_unanswered
    Examples: private
      | chat    |
      | private |
