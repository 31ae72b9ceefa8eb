# language: zh-CN
功能: 租户告诉智能体的事，只留在这个租户
  承诺：租户的用户告诉智能体的事（在群聊里、在私聊里，或者作为教给它的知识），绝不会说给另一个租户听，也不会为另一个租户想起来，即使那个租户的智能体同名、它的用户在同一平台上有相同的用户 ID、昵称和群。
  基于大模型的智能体会通过记忆泄密：聊天历史、它对某个人的了解、它的知识库，
  这些最后都汇进发给模型的提示词里。
  工程师备注：每个暗号都是为场景临时编造的金丝雀，任何模型都猜不出来。两个证人读取它：
  其他租户的连接收到的每条消息（忽略大小写、全半角、空格和标点；无论是否拆成几条），以及
  通过 LLM tap（-D llm_tap，docs/llm-tap.md）读到的、回答其他租户时构建的每个提示词
  （靠其问题自带的标记词找到）。Acme 自己之后的提问必须把暗号带回来（在提示词或回复里）：
  对暗号毫无记忆的目标记为"未检查"，绝不记为守住。私聊里告诉的暗号需要私聊回答：
  api_server 不回答私聊（@known_gap.private_chats_unanswered），saas 不回答用户 ID
  与其他租户的用户撞车的用户（@known_gap.colliding_person_unanswered）。

  背景:
    假如 租户 Acme 有一个智能体 Helper
    而且 租户 Beta 有一个智能体 Helper
    而且 Acme 的用户 Alice 已连接到 Helper
    而且 Beta 的用户 Bob 与 Alice 的用户 ID 和昵称相同，已连接到 Helper

  @known_gap.platform_broadcast
  场景: Alice 在她的群里告诉 Helper 的事，绝不会传到 Beta 同一群号里的 Bob
    当 Alice 在她的群聊里分几轮告诉 Helper 一个暗号
    而且 Bob 在他的群聊里问 Helper "暗号是什么？"
    而且 Alice 在她的群聊里问 Helper "暗号是什么？"
    那么 Helper 对 Acme 自己的用户记得他们的暗号
    而且 其他租户的用户收到的任何内容，都不含不属于他们的暗号
    而且 为回答其他租户而构建的提示词，都不含不属于他们的暗号

  @known_gap.private_chats_unanswered @known_gap.colliding_person_unanswered @known_gap.platform_broadcast
  场景: Helper 在私聊里从 Alice 那里得知的事，绝不会告诉与她用户 ID 相同的 Beta 的 Bob
    当 Alice 在私聊里分几轮告诉 Helper 一个暗号
    而且 Bob 在私聊里问 Helper "你对 Alice 了解多少？"
    而且 Alice 在私聊里问 Helper "暗号是什么？"
    那么 Helper 对 Acme 自己的用户记得他们的暗号
    而且 其他租户的用户收到的任何内容，都不含不属于他们的暗号
    而且 为回答其他租户而构建的提示词，都不含不属于他们的暗号

  @known_gap.private_chats_unanswered
  场景: Acme 教给自己 Helper 的东西，不会成为 Beta 的 Helper 的知识
    假如 Beta 的用户 Carol 已连接到 Helper
    当 Alice 在私聊里教给 Helper 一个暗号
    而且 Carol 在她的群聊里问 Helper "暗号是什么？"
    而且 Alice 在她的群聊里问 Helper "暗号是什么？"
    那么 Helper 对 Acme 自己的用户记得他们的暗号
    而且 其他租户的用户收到的任何内容，都不含不属于他们的暗号
    而且 为回答其他租户而构建的提示词，都不含不属于他们的暗号
