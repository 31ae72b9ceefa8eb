@recorded
Feature: Conversations recorded on ws://127.0.0.1:35203/ws
  Recorded 2026-12-01 23:56:18 to 23:56:19 by the recording proxy
  (recording-20261201-235616-17603.jsonl). Each message a user sent is asked again; each
  reply must come again from the agent that gave it, in the chat it answered, in time;
  and nobody hears what the recording shows they never heard. Reply texts are comments
  only: an agent's wording may vary.

  Replay: behave -D cast=recording.example.cast.toml recording.example.feature (add -D
  replay_pace=fast to go as fast as the server answers; see docs/recording.md).

  Scenario: Alice of Acme talks to Helper (recorded at 23:56:18, #1, 1 message)
    Given tenant Acme has an agent Helper
    And Alice of Acme is connected to Helper
    When Alice asks Helper "What are your opening hours?"
    Then Alice gets a reply from Helper in the same chat within 1.0 s
    # Helper answered in 0.001 s: "Helper heard: What are your opening hours?"

  Scenario: Alice of Beta talks to Helper (recorded at 23:56:18, #2, 1 message)
    Given tenant Beta has an agent Helper
    And Alice of Beta is connected to Helper
    When Alice asks Helper "Hello everyone"
    Then Alice gets a reply from Helper in the same chat within 1.0 s
    # Helper answered in 0.001 s: "Helper heard: Hello everyone"

  Scenario: Alice of Globex talks to Helper (recorded at 23:56:18, #3, 1 message)
    Given tenant Globex has an agent Helper
    And Alice of Globex is connected to Helper
    When Alice asks Helper "Hello, just you and me" in a private chat
    Then Alice gets a reply from Helper in the same chat within 1.0 s
    # Helper answered in 0.001 s: "Helper heard: Hello, just you and me"

  Scenario: Alice of Initech talks to Helper (recorded at 23:56:18, #4, 3 messages)
    Given tenant Initech has an agent Helper
    And Alice of Initech is connected to Helper
    When Alice asks Helper "Hello"
    Then Alice gets a reply from Helper in the same chat within 1.0 s
    # Helper answered in 0.001 s: "Helper heard: Hello"
    When Alice asks Helper "What can you do?"
    Then Alice gets a reply from Helper in the same chat within 1.0 s
    # Helper answered in 0.001 s: "Helper heard: What can you do?"
    When Alice asks Helper "Thank you, good bye"
    Then Alice gets a reply from Helper in the same chat within 1.0 s
    # Helper answered in 0.001 s: "Helper heard: Thank you, good bye"

  Scenario: Alice of Umbrella talks to Helper (recorded at 23:56:18, #5, 3 messages)
    Given tenant Umbrella has an agent Helper
    And Alice of Umbrella is connected to Helper
    When Alice asks Helper "Good morning"
    Then Alice gets a reply from Helper in the same chat within 1.0 s
    # Helper answered in 0.001 s: "Helper heard: Good morning"
    When Alice asks Helper "Is the shop open"
    Then Alice gets a reply from Helper in the same chat within 1.0 s
    # Helper answered in 0.001 s: "Helper heard: Is the shop open"
    When Alice asks Helper "Thanks"
    Then Alice gets a reply from Helper in the same chat within 1.0 s
    # Helper answered in 0.001 s: "Helper heard: Thanks"

  Scenario: Alice of Hooli talks to Helper (recorded at 23:56:18, #6, 1 message)
    Given tenant Hooli has an agent Helper
    And Alice of Hooli is connected to Helper
    When Alice asks Helper "Can I change my order?"
    Then Alice gets a reply from Helper in the same chat within 1.0 s
    # Helper answered in 0.001 s: "Helper heard: Can I change my order?"

  Scenario: Alice of Wonka talks to Helper (recorded at 23:56:18, #7, 1 message)
    Given tenant Wonka has an agent Helper
    And Alice of Wonka is connected to Helper
    When Alice asks Helper "你好，请问今天营业吗？"
    Then Alice gets a reply from Helper in the same chat within 1.0 s
    # Helper answered in 0.001 s: "Helper heard: 你好，请问今天营业吗？"

  Scenario: Alice of Stark talks to Helper (recorded at 23:56:18, #8, 1 message)
    Given tenant Stark has an agent Helper
    And Alice of Stark is connected to Helper
    When Alice asks Helper "👋🏽 Hi! 👨‍👩‍👧 family plan?"
    Then Alice gets a reply from Helper in the same chat within 1.0 s
    # Helper answered in 0.005 s: "Helper heard: 👋🏽 Hi! 👨‍👩‍👧 family plan?"

  Scenario: Alice of Wayne talks to Helper (recorded at 23:56:18, #9, 1 message)
    Given tenant Wayne has an agent Helper
    And Alice of Wayne is connected to Helper
    When Alice asks Helper "Order №42 — ¿dónde está? 谢谢！"
    Then Alice gets a reply from Helper in the same chat within 1.0 s
    # Helper answered in 0.001 s: "Helper heard: Order №42 — ¿dónde está? 谢谢！"

  Scenario: Alice of Tyrell talks to Helper (recorded at 23:56:18, #10, 1 message)
    Given tenant Tyrell has an agent Helper
    And Alice of Tyrell is connected to Helper
    When Alice asks Helper "你好，请问今天营业吗？"
    Then Alice gets a reply from Helper in the same chat within 1.0 s
    # Helper answered in 0.001 s: "Helper heard: 你好，请问今天营业吗？"

  Scenario: Alice of Soylent talks to Helper (recorded at 23:56:18, #11, 1 message)
    Given tenant Soylent has an agent Helper
    And Alice of Soylent is connected to Helper
    When Alice asks Helper "👋🏽 Hi! 👨‍👩‍👧 family plan?"
    Then Alice gets a reply from Helper in the same chat within 1.0 s
    # Helper answered in 0.001 s: "Helper heard: 👋🏽 Hi! 👨‍👩‍👧 family plan?"

  Scenario: Alice of Vandelay talks to Helper and Sales (recorded at 23:56:18, #12, 2 messages)
    Given tenant Vandelay has agents Helper and Sales
    And Alice of Vandelay is connected to Helper and Sales
    When Alice asks Helper "Who are you?"
    Then Alice gets a reply from Helper in the same chat within 1.0 s
    # Helper answered in 0.001 s: "Helper heard: Who are you?"
    When Alice asks Sales "Who are you?"
    Then Alice gets a reply from Sales in the same chat within 1.0 s
    # Sales answered in 0.001 s: "Sales heard: Who are you?"
    And no one receives what was not meant for them

  Scenario: Alice of Oscorp and Bob of Aperture talk to their agents (recorded at 23:56:18, #13, 2 messages)
    Given tenant Oscorp has an agent Helper
    And tenant Aperture has an agent Helper
    And Alice of Oscorp is connected to Helper
    And Bob of Aperture is connected to Helper
    When Alice asks Helper "Our launch date is the 3rd, keep it to yourself"
    And Bob asks Helper "What did the last customer tell you?"
    Then Alice gets a reply from Helper in the same chat within 1.0 s
    # Helper answered in 0.003 s: "Helper heard: Our launch date is the 3rd, keep it to yourself"
    And Bob gets a reply from Helper in the same chat within 1.0 s
    # Helper answered in 0.003 s: "Helper heard: What did the last customer tell you?"
    And no one receives what was not meant for them

  Scenario: Alice of Monarch talks to Helper (recorded at 23:56:18, #14, 1 message)
    Given tenant Monarch has agents Helper and Sales
    And Alice of Monarch is connected to Helper
    And Bob of Monarch is connected to Sales
    When Alice asks Helper "Please keep this away from Sales"
    Then Alice gets a reply from Helper in the same chat within 1.0 s
    # Helper answered in 0.001 s: "Helper heard: Please keep this away from Sales"
    And no one receives what was not meant for them

  Scenario: Alice of Gringotts talks to Helper (recorded at 23:56:19, #15, 1 message)
    Given tenant Gringotts has an agent Helper
    And Alice of Gringotts is connected to Helper on "qq"
    And Bob of Gringotts is connected to Helper
    When Alice asks Helper on "qq": "Only on QQ, please"
    Then Alice gets a reply from Helper in the same chat within 1.0 s
    # Helper answered in 0.002 s: "Helper heard: Only on QQ, please"
    And no one receives what was not meant for them

  Scenario: Alice of Acme2 talks to Helper (recorded at 23:56:19, #16, 1 message)
    Given tenant Acme2 has an agent Helper
    And Alice of Acme2 is connected to Helper
    And Bob of Acme2 is connected to Helper
    When Alice asks Helper "Can both my devices see this?"
    Then Alice gets a reply from Helper in the same chat within 1.0 s
    # Helper answered in 0.001 s: "Helper heard: Can both my devices see this?"
    And Bob also gets Helper's reply to Alice
    And no one receives what was not meant for them
