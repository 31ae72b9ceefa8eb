# language: zh-CN
功能: 对话交流
  承诺：用户向智能体提问，就能及时得到被提问的那个智能体的回答，回答发回提问所在的会话。
  这是每个租户付费买的核心服务：无论群聊还是私聊，无论聊几轮，无论用什么文字。
  工程师备注：标记 @use.with_server=reference 的场景逐字核对参考服务器回声智能体的回答，
  对 MaiMBot 跳过；私聊场景标记 @known_gap.private_chats_unanswered。

  背景:
    假如 租户 Acme 有一个智能体 Helper
    而且 Acme 的用户 Alice 已连接到 Helper

  场景: 用户提问，智能体回答
    当 Alice 向 Helper 提问 "你们几点营业？"
    那么 Alice 在同一会话中收到 Helper 的回复

  场景: 在群聊里提问，回答发到群里
    当 Alice 在群聊中向 Helper 提问 "大家好"
    那么 Alice 收到 Helper 的回复
    而且 该回复发往 Alice 的群聊

  @known_gap.private_chats_unanswered
  场景: 在私聊里提问，回答私下发给提问的人
    假如 Alice 已向 Helper 提问 "你好" 并收到回复
    当 Alice 在私聊中向 Helper 提问 "你好，就咱俩聊聊"
    那么 Alice 收到 Helper 的回复
    而且 该回复私下发给 Alice

  场景: 连聊几轮，顺序不乱
    当 Alice 与 Helper 进行如下对话，每句都等待回复：
      | Alice 说     |
      | 你好         |
      | 你能做什么？ |
      | 谢谢，再见   |
    那么 Alice 的每条消息都按提问顺序收到了 Helper 的回复

  @use.with_server=reference
  场景: 引用了原问题的回答，照样能读懂
    MaiMBot 有时会先引用它要回答的那条消息，再给出回答。
    参考服务器每三条回答引用一次，所以聊三轮至少会遇到一次。
    当 Alice 与 Helper 进行如下对话，每句都等待回复：
      | Alice 说     | Helper 回答                |
      | 早上好       | Helper heard: 早上好       |
      | 店开门了吗   | Helper heard: 店开门了吗   |
      | 谢谢         | Helper heard: 谢谢         |
    那么 Helper 的回复中至少有一条引用了它所回答的消息

  场景大纲: 什么文字都能得到回答：<种类>
    当 Alice 向 Helper 提问 "<消息>"
    那么 Alice 在同一会话中收到 Helper 的回复

    例子:
      | 种类         | 消息                              |
      | 英文         | Can I change my order?            |
      | 中文         | 你好，请问今天营业吗？             |
      | 表情符号     | 👋🏽 你好！👨‍👩‍👧 有家庭套餐吗？        |
      | 多种文字混排 | 订单 №42 — ¿dónde está? 谢谢！    |

  @use.with_server=reference
  场景大纲: 回声智能体逐字逐句引用它回答的消息：<种类>
    当 Alice 向 Helper 提问 "<消息>"
    那么 Alice 收到 Helper 的回复，内容为 "Helper heard: <消息>"

    例子:
      | 种类     | 消息                              |
      | 中文     | 你好，请问今天营业吗？             |
      | 表情符号 | 👋🏽 你好！👨‍👩‍👧 有家庭套餐吗？        |
