# language: zh-CN
@known_gap.slow_past_64_agents
功能: 租户和它的智能体
  承诺：租户的每个智能体都为自己的用户作答，与同租户的其他智能体并行不悖。
  MaiMBot 的每个租户拥有若干智能体。用户的聊天适配器连接到本租户的某个智能体，
  由这个智能体来回答。一个租户有两个智能体时，两个同时服务，各答各的。
  工程师备注：跑全部功能时，轮到这个功能时已经用过 64 个以上的智能体，saas 在这之后会变慢
  （known_gap.slow_past_64_agents）。

  背景:
    假如 租户 Acme 有智能体 Helper 和 Sales

  场景: 用户分别连接到租户的两个智能体
    当 Acme 的用户 Alice 连接到 Helper
    而且 Alice 连接到 Sales
    那么 Alice 已连接到 Helper 和 Sales

  场景: 租户的每个智能体各自作答
    假如 Acme 的用户 Alice 已连接到 Helper 和 Sales
    当 Alice 向 Helper 提问 "你是谁？"
    而且 Alice 向 Sales 提问 "你是谁？"
    那么 Alice 在同一会话中收到 Helper 的回复
    而且 Alice 在同一会话中收到 Sales 的回复
