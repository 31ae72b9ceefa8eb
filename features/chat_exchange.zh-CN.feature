# language: zh-CN
功能: 对话交流
  承诺：用户向智能体提问，就能在规定时间内得到被提问的智能体的回答，并发回提问所在的会话。
  这是每个租户购买的服务承诺：群聊或私聊，多轮对话，任何文字。
  工程师备注：与 chat_exchange.feature 相同的规格，供中文产品负责人审阅；
  标记为 @use.with_server=reference 的场景只针对参考服务器运行。

  背景:
    假如 租户 Acme 有一个智能体 Helper
    而且 Acme 的用户 Alice 已连接到 Helper

  场景: 用户提问并得到回复
    当 Alice 向 Helper 提问 "你们几点营业？"
    那么 Alice 在同一会话中收到 Helper 的回复

  场景: 群聊中的提问回复到该群
    当 Alice 在群聊中向 Helper 提问 "大家好"
    那么 Alice 收到 Helper 的回复
    而且 该回复发往 Alice 的群聊

  @known_gap.private_chats_unanswered
  场景: 私聊中的提问私下回复
    假如 Alice 已向 Helper 提问 "你好" 并收到回复
    当 Alice 在私聊中向 Helper 提问 "你好，这里只有我们俩"
    那么 Alice 收到 Helper 的回复
    而且 该回复私下发给 Alice

  场景: 多轮对话保持顺序
    当 Alice 与 Helper 进行如下对话，每句都等待回复：
      | Alice 说         |
      | 你好             |
      | 你能做什么？     |
      | 谢谢，再见       |
    那么 Alice 的每条消息都按提问顺序收到了 Helper 的回复

  场景大纲: 各种文字都能得到回复：<种类>
    当 Alice 向 Helper 提问 "<消息>"
    那么 Alice 在同一会话中收到 Helper 的回复

    例子:
      | 种类       | 消息                         |
      | 中文       | 请问今天营业吗？               |
      | 表情符号   | 👋🏽 你好！👨‍👩‍👧 家庭套餐？          |
      | 中英混排   | 订单 №42 — where is it? 谢谢！ |

  @use.with_server=reference
  场景: 回声智能体逐字引用它回答的消息
    当 Alice 向 Helper 提问 "你好，请问今天营业吗？"
    那么 Alice 收到 Helper 的回复，内容为 "Helper heard: 你好，请问今天营业吗？"
