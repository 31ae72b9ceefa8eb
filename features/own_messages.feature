Feature: The agent does not answer itself
  Promise: when the platform reports the agent's own message back to the server (as
  platforms echo what a bot sent, in the same chat, from the bot's account), the agent
  does not answer it, and nothing loops.
  MaiBot's users report a bot that answers its own messages, over and over, until the
  platform's risk control steps in.
  For engineers: the bot's account is read from the reply's sender; a target whose
  replies do not name it (upstream MaiBot) needs -D bot_account, or the scenario is
  "not checked". The agent's replies in the chat are counted over the repeat window.

  Background:
    Given tenant Acme has an agent Helper
    And Alice of Acme is connected to Helper

  Scenario: The platform reports Helper's reply back, and Helper does not answer it
    Given Alice has asked Helper "Hello" and got a reply
    When the platform reports Helper's reply back to Alice's chat, as the bot's own message
    Then Helper does not answer its own message to Alice within the repeat window
