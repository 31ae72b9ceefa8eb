# language: zh-CN
功能: 租户隔离
  承诺：回复到达给出它的智能体在提问平台上的每一个连接，而不会到达任何其他连接，无论其属于谁。
  多租户是 MaiMBot 存在的理由，它最严重的故障就是一个租户看到另一个租户的对话。
  一个租户可以同时运行多个适配器或设备，每一个都会收到回复。
  工程师备注：每个"没有收到"的检查只观察一个很短的时间窗口（-D quiet_window，
  由该步骤提到的所有连接共用），并且只在同一场景中已有回复到达其正当接收者之后进行：
  否则一个谁都不回复的服务器也能通过。与 tenant_isolation.feature 相同的规格，
  供中文产品负责人审阅。

  @known_gap.platform_broadcast
  场景: 两个租户的同名智能体互不看到对方的对话
    假如 租户 Acme 有一个智能体 Helper
    而且 租户 Beta 有一个智能体 Helper
    而且 Acme 的用户 Alice 已连接到 Helper
    而且 Beta 的用户 Bob 已连接到 Helper
    当 Alice 向 Helper 提问 "我们的发布日期是3号，请保密"
    而且 Bob 向 Helper 提问 "上一位客户跟你说了什么？"
    那么 Alice 收到 Helper 的回复
    而且 Bob 收到 Helper 的回复
    而且 Alice 和 Bob 都没有收到其他任何消息

  @known_gap.reply_labelled_with_last_speaker
  场景: 回复标明属于提问的租户，即使之后另一个租户发过言
    假如 租户 Acme 有一个智能体 Helper
    而且 租户 Beta 有一个智能体 Helper
    而且 Acme 的用户 Alice 已连接到 Helper
    而且 Beta 的用户 Bob 已连接到 Helper
    当 Alice 向 Helper 提问 "能帮我查一下订单吗？"
    而且 Bob 向 Helper 提问 "今天商店开门吗？"
    那么 Alice 收到 Helper 的回复
    而且 给 Alice 的回复标明属于 Acme

  场景: 一个智能体的回复不会到达租户与另一个智能体的连接
    假如 租户 Acme 有智能体 Helper 和 Sales
    而且 Acme 的用户 Alice 已连接到 Helper 和 Sales
    当 Alice 向 Helper 提问 "请别让 Sales 知道"
    那么 Alice 收到 Helper 的回复
    而且 Alice 到 Sales 的连接没有收到任何消息

  场景: 一个平台上的回复不会到达该智能体在另一平台上的连接
    假如 租户 Acme 有一个智能体 Helper
    而且 Acme 的用户 Alice 已在 "qq" 和 "test" 上连接到 Helper
    当 Alice 在 "qq" 上向 Helper 提问 "只在 QQ 上说"
    那么 Alice 收到 Helper 的回复
    而且 Alice 在 "test" 上到 Helper 的连接没有收到任何消息

  场景: 该智能体在该平台上的每个连接都收到回复
    假如 租户 Acme 有一个智能体 Helper
    而且 Acme 的用户 Alice 已从两台设备连接到 Helper
    当 Alice 从第一台设备向 Helper 提问 "我的两台设备都能看到吗？"
    那么 Helper 的回复到达 Alice 的两台设备
