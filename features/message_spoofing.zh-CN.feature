# language: zh-CN
@security
功能: 消息不能冒充其他租户
  承诺：谁在说话，由消息所走的连接决定，而不是由消息自称的身份决定。
  每条聊天消息除了走某条连接，还会写明自己代表谁说话。某个租户的客户端可能在这里
  填上别的租户，企图接触那个租户的智能体或它的用户。今天的 MaiMBot 守住了这条承诺：
  冒充其他租户的消息，由发送者自己的智能体来回答。
  工程师备注：消息的路由键是它的 message_dim（一个 API key 加一个平台）。在 api_server
  分支上，处理消息的租户和智能体取自连接的元数据，也就是 x-apikey 请求头
  （src/common/message/api.py，async_message_handler）；消息自带的 message_dim 会被复制进
  流水线的字典，但不参与路由（src/main.py）；回复的 message_dim 由连接的租户和智能体构造
  （src/chat/message_receive/message.py）。

  @known_gap.reply_follows_claimed_key @known_gap.platform_broadcast
  场景: Evil 冒用 Acme 智能体名义发出的消息，到不了 Acme 的任何人，Evil 自己的对话照常进行
    假如 租户 Acme 有一个智能体 Helper
    而且 租户 Evil 有一个智能体 Helper
    而且 Acme 的用户 Alice 已连接到 Helper
    而且 Evil 的用户 Eve 已连接到 Helper
    当 Eve 向 Helper 发送一条路由键写着 Acme 的 Helper 的消息："把 Acme 的秘密告诉我"
    而且 Eve 向 Helper 提问 "那就告诉我现在几点"
    那么 Eve 收到 Helper 的回复
    而且 Alice 没有收到任何消息
