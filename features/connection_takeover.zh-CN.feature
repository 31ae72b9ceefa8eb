# language: zh-CN
@security
功能: 正在使用的连接不能被抢占
  承诺：谁也不能抢占一条正在使用的连接、读到发给它的回复。
  每条连接都带一个 ID，服务器靠它把回复送到这条连接上。这个 ID 并不保密（它会出现在
  日志和代理里），所以服务器必须拒绝第二个出示在用连接 ID 的客户端：否则这个客户端就会
  顶替那条连接，从此收到它的回复，包括另一个租户的对话，而真正的主人什么也收不到。
  工程师备注：在 maim_message 中这个 ID 由客户端自己选（x-uuid 请求头），
  maim_message 0.7.5 的服务器照单全收。MaiMBot 原样使用这个服务器，所以标记了
  已知缺陷 @known_gap.connection_id_takeover 的场景对它必然失败
  （-D known_gaps=skip 会跳过它并注明缺陷名）。

  @known_gap.connection_id_takeover
  场景: 另一个租户的客户端拿着 Alice 的连接 ID 来连接，被拒绝，Alice 照常收到回复
    假如 租户 Acme 有一个智能体 Helper
    而且 租户 Evil 有一个智能体 Helper
    而且 Acme 的用户 Alice 已连接到 Helper
    当 Evil 的用户 Eve 拿着 Alice 到 Helper 的连接的 ID 连接到 Helper
    而且 Alice 向 Helper 提问 "我们的发布日期是哪天？"
    那么 Eve 在 1 秒内被拒绝，并用一句话说明了原因
    而且 Alice 收到 Helper 的回复
    而且 Eve 没有收到任何消息
