@recorded
Feature: Conversations recorded on ws://127.0.0.1:42409/ws
  Recorded 2026-12-01 23:55:56 to 23:56:37 by the recording proxy
  (recording-20261201-235537-17156.jsonl). Each message a user sent is asked again; each
  reply must come again from the agent that gave it, in the chat it answered, in time;
  and nobody hears what the recording shows they never heard. Reply texts are comments
  only: an agent's wording may vary.

  Replay: behave -D cast=maimbot_peers.example.cast.toml maimbot_peers.example.feature
  (add -D replay_pace=fast to go as fast as the server answers; see docs/recording.md).

  Scenario: Alice of Acme talks to Helper (recorded at 23:55:56, #1, 5 messages)
    Given tenant Acme has an agent Helper
    And Alice of Acme is connected to Helper
    When Alice asks Helper "你好！"
    Then Alice gets a reply from Helper in the same chat within 1.0 s
    # Helper answered in 0.002 s: "testuser_1796169356371_9382_001_agent_1 heard: 你好！"
    When 1.0 s have passed since the last message
    And Alice asks Helper "我想了解一下你的功能"
    Then Alice gets a reply from Helper in the same chat within 1.0 s
    # Helper answered in 0.002 s: "testuser_1796169356371_9382_001_agent_1 heard: 我想了解一下你的功能"
    When 1.0 s have passed since the last message
    And Alice asks Helper "今天天气怎么样？"
    Then Alice gets a reply from Helper in the same chat within 1.0 s
    # Helper answered in 0.002 s: "testuser_1796169356371_9382_001_agent_1 heard: 今天天气怎么样？"
    When 1.0 s have passed since the last message
    And Alice asks Helper "你能帮我做什么？"
    Then Alice gets a reply from Helper in the same chat within 1.0 s
    # Helper answered in 0.002 s: "testuser_1796169356371_9382_001_agent_1 heard: 你能帮我做什么？"
    When 1.0 s have passed since the last message
    And Alice asks Helper "谢谢你的回答"
    Then Alice gets a reply from Helper in the same chat within 1.0 s
    # Helper answered in 0.002 s: "testuser_1796169356371_9382_001_agent_1 heard: 谢谢你的回答"

  Scenario: Alice of Acme talks to Sales (recorded at 23:56:02, #2, 5 messages)
    Given tenant Acme has an agent Sales
    And Alice of Acme is connected to Sales
    When Alice asks Sales "你好！"
    Then Alice gets a reply from Sales in the same chat within 1.0 s
    # Sales answered in 0.002 s: "testuser_1796169356371_9382_001_agent_2 heard: 你好！"
    When 1.0 s have passed since the last message
    And Alice asks Sales "我想了解一下你的功能"
    Then Alice gets a reply from Sales in the same chat within 1.0 s
    # Sales answered in 0.002 s: "testuser_1796169356371_9382_001_agent_2 heard: 我想了解一下你的功能"
    When 1.0 s have passed since the last message
    And Alice asks Sales "今天天气怎么样？"
    Then Alice gets a reply from Sales in the same chat within 1.0 s
    # Sales answered in 0.002 s: "testuser_1796169356371_9382_001_agent_2 heard: 今天天气怎么样？"
    When 1.0 s have passed since the last message
    And Alice asks Sales "你能帮我做什么？"
    Then Alice gets a reply from Sales in the same chat within 1.0 s
    # Sales answered in 0.003 s: "testuser_1796169356371_9382_001_agent_2 heard: 你能帮我做什么？"
    When 1.0 s have passed since the last message
    And Alice asks Sales "谢谢你的回答"
    Then Alice gets a reply from Sales in the same chat within 1.0 s
    # Sales answered in 0.002 s: "testuser_1796169356371_9382_001_agent_2 heard: 谢谢你的回答"

  Scenario: Alice of Beta talks to Helper (recorded at 23:56:07, #3, 5 messages)
    Given tenant Beta has an agent Helper
    And Alice of Beta is connected to Helper
    When Alice asks Helper "你好！"
    Then Alice gets a reply from Helper in the same chat within 1.0 s
    # Helper answered in 0.002 s: "testuser_1796169356377_1394_002_agent_1 heard: 你好！"
    When 1.0 s have passed since the last message
    And Alice asks Helper "我想了解一下你的功能"
    Then Alice gets a reply from Helper in the same chat within 1.0 s
    # Helper answered in 0.003 s: "testuser_1796169356377_1394_002_agent_1 heard: 我想了解一下你的功能"
    When 1.0 s have passed since the last message
    And Alice asks Helper "今天天气怎么样？"
    Then Alice gets a reply from Helper in the same chat within 1.0 s
    # Helper answered in 0.001 s: "testuser_1796169356377_1394_002_agent_1 heard: 今天天气怎么样？"
    When 1.0 s have passed since the last message
    And Alice asks Helper "你能帮我做什么？"
    Then Alice gets a reply from Helper in the same chat within 1.0 s
    # Helper answered in 0.002 s: "testuser_1796169356377_1394_002_agent_1 heard: 你能帮我做什么？"
    When 1.0 s have passed since the last message
    And Alice asks Helper "谢谢你的回答"
    Then Alice gets a reply from Helper in the same chat within 1.0 s
    # Helper answered in 0.001 s: "testuser_1796169356377_1394_002_agent_1 heard: 谢谢你的回答"

  Scenario: Alice of Beta talks to Sales (recorded at 23:56:13, #4, 5 messages)
    Given tenant Beta has an agent Sales
    And Alice of Beta is connected to Sales
    When Alice asks Sales "你好！"
    Then Alice gets a reply from Sales in the same chat within 1.0 s
    # Sales answered in 0.002 s: "testuser_1796169356377_1394_002_agent_2 heard: 你好！"
    When 1.0 s have passed since the last message
    And Alice asks Sales "我想了解一下你的功能"
    Then Alice gets a reply from Sales in the same chat within 1.0 s
    # Sales answered in 0.006 s: "testuser_1796169356377_1394_002_agent_2 heard: 我想了解一下你的功能"
    When 1.0 s have passed since the last message
    And Alice asks Sales "今天天气怎么样？"
    Then Alice gets a reply from Sales in the same chat within 1.0 s
    # Sales answered in 0.002 s: "testuser_1796169356377_1394_002_agent_2 heard: 今天天气怎么样？"
    When 1.0 s have passed since the last message
    And Alice asks Sales "你能帮我做什么？"
    Then Alice gets a reply from Sales in the same chat within 1.0 s
    # Sales answered in 0.006 s: "testuser_1796169356377_1394_002_agent_2 heard: 你能帮我做什么？"
    When 1.0 s have passed since the last message
    And Alice asks Sales "谢谢你的回答"
    Then Alice gets a reply from Sales in the same chat within 1.0 s
    # Sales answered in 0.005 s: "testuser_1796169356377_1394_002_agent_2 heard: 谢谢你的回答"

  Scenario: Alice of Globex, Bob of Initech and Carol of Umbrella talk to their agents (recorded at 23:56:29, #5, 24 messages)
    Given tenant Globex has agents Helper and Sales
    And tenant Initech has agents Helper and Sales
    And tenant Umbrella has agents Helper and Sales
    And Alice of Globex is connected to Helper and Sales
    And Bob of Initech is connected to Helper and Sales
    And Carol of Umbrella is connected to Helper and Sales
    When Alice asks Helper "你好，请介绍一下自己"
    Then Alice gets a reply from Helper in the same chat within 1.0 s
    # Helper answered in 0.002 s: "testuser_1796169388949_3216_001_agent_1 heard: 你好，请介绍一下自己"
    When Alice asks Sales "你好，请介绍一下自己"
    And Bob asks Helper "你好，请介绍一下自己"
    And Bob asks Sales "你好，请介绍一下自己"
    And Carol asks Helper "你好，请介绍一下自己"
    And Carol asks Sales "你好，请介绍一下自己"
    Then Alice gets a reply from Sales in the same chat within 1.0 s
    # Sales answered in 0.005 s: "testuser_1796169388949_3216_001_agent_2 heard: 你好，请介绍一下自己"
    And Bob gets a reply from Helper in the same chat within 1.0 s
    # Helper answered in 0.008 s: "testuser_1796169388955_2072_002_agent_1 heard: 你好，请介绍一下自己"
    And Bob gets a reply from Sales in the same chat within 1.0 s
    # Sales answered in 0.008 s: "testuser_1796169388955_2072_002_agent_2 heard: 你好，请介绍一下自己"
    And Carol gets a reply from Helper in the same chat within 1.0 s
    # Helper answered in 0.008 s: "testuser_1796169388957_1601_003_agent_1 heard: 你好，请介绍一下自己"
    And Carol gets a reply from Sales in the same chat within 1.0 s
    # Sales answered in 0.008 s: "testuser_1796169388957_1601_003_agent_2 heard: 你好，请介绍一下自己"
    When 1.6 s have passed since the last message
    And Bob asks Sales "你喜欢做什么"
    Then Bob gets a reply from Sales in the same chat within 1.0 s
    # Sales answered in 0.002 s: "testuser_1796169388955_2072_002_agent_2 heard: 你喜欢做什么"
    When 0.4 s have passed since the last message
    And Carol asks Helper "你喜欢做什么"
    Then Carol gets a reply from Helper in the same chat within 1.0 s
    # Helper answered in 0.002 s: "testuser_1796169388957_1601_003_agent_1 heard: 你喜欢做什么"
    When 0.2 s have passed since the last message
    And Carol asks Sales "你喜欢做什么"
    Then Carol gets a reply from Sales in the same chat within 1.0 s
    # Sales answered in 0.002 s: "testuser_1796169388957_1601_003_agent_2 heard: 你喜欢做什么"
    When 0.2 s have passed since the last message
    And Alice asks Sales "你喜欢做什么"
    Then Alice gets a reply from Sales in the same chat within 1.0 s
    # Sales answered in 0.001 s: "testuser_1796169388949_3216_001_agent_2 heard: 你喜欢做什么"
    When 0.3 s have passed since the last message
    And Bob asks Helper "你喜欢做什么"
    Then Bob gets a reply from Helper in the same chat within 1.0 s
    # Helper answered in 0.002 s: "testuser_1796169388955_2072_002_agent_1 heard: 你喜欢做什么"
    When Alice asks Helper "你喜欢做什么"
    Then Alice gets a reply from Helper in the same chat within 1.0 s
    # Helper answered in 0.002 s: "testuser_1796169388949_3216_001_agent_1 heard: 你喜欢做什么"
    When 0.5 s have passed since the last message
    And Carol asks Helper "有什么兴趣爱好"
    Then Carol gets a reply from Helper in the same chat within 1.0 s
    # Helper answered in 0.002 s: "testuser_1796169388957_1601_003_agent_1 heard: 有什么兴趣爱好"
    When 0.4 s have passed since the last message
    And Bob asks Sales "有什么兴趣爱好"
    Then Bob gets a reply from Sales in the same chat within 1.0 s
    # Sales answered in 0.002 s: "testuser_1796169388955_2072_002_agent_2 heard: 有什么兴趣爱好"
    When 0.5 s have passed since the last message
    And Alice asks Sales "有什么兴趣爱好"
    Then Alice gets a reply from Sales in the same chat within 1.0 s
    # Sales answered in 0.007 s: "testuser_1796169388949_3216_001_agent_2 heard: 有什么兴趣爱好"
    When 0.3 s have passed since the last message
    And Carol asks Helper "能给些建议吗"
    Then Carol gets a reply from Helper in the same chat within 1.0 s
    # Helper answered in 0.003 s: "testuser_1796169388957_1601_003_agent_1 heard: 能给些建议吗"
    When 0.4 s have passed since the last message
    And Carol asks Sales "有什么兴趣爱好"
    Then Carol gets a reply from Sales in the same chat within 1.0 s
    # Sales answered in 0.005 s: "testuser_1796169388957_1601_003_agent_2 heard: 有什么兴趣爱好"
    When 0.2 s have passed since the last message
    And Alice asks Helper "有什么兴趣爱好"
    Then Alice gets a reply from Helper in the same chat within 1.0 s
    # Helper answered in 0.005 s: "testuser_1796169388949_3216_001_agent_1 heard: 有什么兴趣爱好"
    When 0.3 s have passed since the last message
    And Bob asks Helper "有什么兴趣爱好"
    Then Bob gets a reply from Helper in the same chat within 1.0 s
    # Helper answered in 0.002 s: "testuser_1796169388955_2072_002_agent_1 heard: 有什么兴趣爱好"
    When 0.4 s have passed since the last message
    And Alice asks Sales "能给些建议吗"
    Then Alice gets a reply from Sales in the same chat within 1.0 s
    # Sales answered in 0.005 s: "testuser_1796169388949_3216_001_agent_2 heard: 能给些建议吗"
    When 0.6 s have passed since the last message
    And Bob asks Sales "能给些建议吗"
    Then Bob gets a reply from Sales in the same chat within 1.0 s
    # Sales answered in 0.002 s: "testuser_1796169388955_2072_002_agent_2 heard: 能给些建议吗"
    When 0.6 s have passed since the last message
    And Alice asks Helper "能给些建议吗"
    Then Alice gets a reply from Helper in the same chat within 1.0 s
    # Helper answered in 0.006 s: "testuser_1796169388949_3216_001_agent_1 heard: 能给些建议吗"
    When 0.5 s have passed since the last message
    And Carol asks Sales "能给些建议吗"
    Then Carol gets a reply from Sales in the same chat within 1.0 s
    # Sales answered in 0.005 s: "testuser_1796169388957_1601_003_agent_2 heard: 能给些建议吗"
    When 0.8 s have passed since the last message
    And Bob asks Helper "能给些建议吗"
    Then Bob gets a reply from Helper in the same chat within 1.0 s
    # Helper answered in 0.002 s: "testuser_1796169388955_2072_002_agent_1 heard: 能给些建议吗"
    And no one receives what was not meant for them
