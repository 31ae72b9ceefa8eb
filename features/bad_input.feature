Feature: Bad input does not break the service
  Promise: whatever one sender sends, the service stays up for everyone else, and the
  sender learns what became of it.
  Chat adapters are written by many people, and sooner or later one sends what
  nobody planned for: an empty message, a novel pasted into a chat, a picture, text
  from every corner of Unicode, a message that contradicts its own connection, or
  bytes that are no message at all. Whatever one sender does, the server must stay
  up and keep serving every other tenant, and the sender must learn what happened:
  a reply, an error reply, a closed connection with a reason, or a silence this
  feature documents. Every wait here is bounded. Some scenarios check, word for
  word, what the reference server makes of each input: they run against it only.
  For engineers: MaiMBot's pipeline drops every chat message before an agent sees it
  (docs/protocol.md, api_server defect 3), so empty, long and picture messages meet silence there; a package
  over its size limit (maim_message's default, 100 MiB: set -D max_message_size if
  yours differs) closes the connection like any other. Whether the sender also hears
  why (WebSocket close code 1009) depends on a race in TCP for packages over a few
  MiB (the server resets the link while the rest of the package is still on its
  way), so only the reference server, which reads a package whole before refusing
  it, is held to it. The scenarios tagged with
  use.with_server=reference check its exact error replies and echoes.

  Background:
    Given tenant Acme has an agent Helper
    And tenant Beta has an agent Helper
    And Alice of Acme is connected to Helper
    And Bob of Beta is connected to Helper

  Scenario Outline: After <input>, Alice and Bob can still talk to their agents
    When Alice sends Helper <input>
    Then Alice and Bob can still talk to their agents

    Examples:
      | input              |
      | an empty message   |
      | a message of 1 MiB |
      | a picture          |

  Scenario: A message over the server's size limit closes the sender's connection, and only hers
    When Alice sends Helper a message just over the server's size limit
    Then the server closes Alice's connection to Helper
    And Alice's client knows that the message did not go through
    And Bob can still talk to his agent
    When Alice connects to Helper again
    Then Alice can still talk to her agent

  Scenario: A message that claims another platform than its connection's reaches no other tenant
    Given Alice is also connected to Helper on "qq"
    When Alice asks Helper on "test", in a message that claims platform "qq": "Which platform am I on?"
    Then Alice gets a reply from Helper on one of her connections
    And Bob receives nothing

  @use.with_server=reference
  Scenario Outline: The reference agent answers <input> with an error reply
    When Alice sends Helper <input>
    Then Alice gets a reply from Helper that reads "<answer>"

    Examples:
      | input            | answer                                                  |
      | an empty message | Helper got an empty message: there is nothing to answer |
      | a picture        | Helper cannot read image messages, only text            |

  @use.with_server=reference
  Scenario: The reference server says why it closed the connection: the message is too big
    When Alice sends Helper a message just over the server's size limit
    Then the server closes Alice's connection to Helper because the message is too big

  @use.with_server=reference
  Scenario: The reference agent quotes a message of 1 MiB in full
    When Alice sends Helper a message of 1 MiB
    Then the reply quotes Alice's message character for character

  @use.with_server=reference
  Scenario Outline: <kind> crosses the wire unchanged, both ways
    When Alice asks Helper the text "<text>"
    Then the reply quotes Alice's message character for character

    Examples: text written with \u escapes for what cannot be seen
      | kind                                | text                                                   |
      | Chinese with full-width punctuation | 你好，世界！「测试」……                                 |
      | emoji with skin tone and ZWJ family | 👋🏽 \U0001F468\u200D\U0001F469\u200D\U0001F467 family |
      | Arabic, right to left               | مرحبا بالعالم                                          |
      | Hebrew with a right-to-left mark    | שלום\u200F world                                       |
      | a bidi override and its end         | user\u202Egnp.exe\u202C                                |
      | control characters                  | tab\u0009new line\u000Abell\u0007escape\u001Bnul\u0000 |
      | zero-width and combining marks      | e\u0301 zero\u200Bwidth \uFEFFbom                      |
      | outside the basic plane             | 𝕏 \U0001D11E 🀄                                        |

  @use.with_server=reference
  Scenario: A message answered on the connection it came from, whatever platform it claims
    Given Alice is also connected to Helper on "qq"
    When Alice asks Helper on "test", in a message that claims platform "qq": "Which platform am I on?"
    Then Alice's connection to Helper on "test" gets the reply from Helper on "test"
    And Alice's connection to Helper on "qq" receives nothing

  @use.with_server=reference
  Scenario Outline: <garbage> gets an error that says what was wrong, and the service goes on
    When Alice's adapter puts <garbage> on its connection to Helper
    Then Alice's adapter is told "<reason>"
    And Alice and Bob can still talk to their agents

    Examples:
      | garbage                                 | reason                                                       |
      | text that is not JSON                   | text that is not JSON is not a maim_message package          |
      | a JSON array                            | a JSON array is not a maim_message package                   |
      | a JSON object that is no package        | a JSON object without a 'type' is not a maim_message package |
      | binary data                             | 256 bytes of binary data are not a maim_message package      |
      | a chat package without a chat message   | a chat package must carry a chat message                     |
      | a chat package with a malformed message | the chat message is malformed                                |
