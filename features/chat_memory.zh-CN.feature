# language: zh-CN
功能: 在一个聊天里说的话，只留在那个聊天里
  承诺：大家在一个聊天（群聊或私聊）里告诉智能体的事，绝不会在同一个智能体的另一个聊天里被想起：不会到另一个群，不会从私聊到群聊、也不会从群聊到私聊，也不会说给同在两个群里的人。只有运维有意让它们共享记忆的聊天才共享，其他的都不共享。
  麦麦的用户反映过记忆在群与群之间串了，消息也发错了群；智能体的记忆（一个聊天的历史、
  它对每个人的了解）最后都汇进发给模型的提示词里。
  工程师备注：暗号和两个证人都沿用租户金丝雀的（见 tenant_memory.feature）：发往另一个
  聊天的每条回复，以及 LLM tap 在那里回答时看到的每个提示词。告诉暗号的那个聊天必须把它
  带回来，否则场景记为"未检查"。哪些群有意共享记忆：对部署用 -D shared_memory_groups；
  内嵌服务器会被告知。在私聊里告诉或问起的暗号需要私聊回答：api_server 不回答私聊
  （@known_gap.private_chats_unanswered）。

  背景:
    假如 租户 Acme 有一个智能体 Helper
    而且 Acme 的用户 Alice 已连接到 Helper
    而且 Acme 的用户 Bob 已连接到 Helper

  场景: Alice 在一个群里告诉 Helper 的事，不会在另一个群里被想起
    当 Alice 在群聊 Garden 里分几轮告诉 Helper 一个暗号
    而且 Bob 在群聊 Kitchen 里问 Helper "暗号是什么？"
    而且 Alice 在群聊 Garden 里问 Helper "暗号是什么？"
    那么 Alice 在群聊 Garden 里问起时，Helper 记得暗号
    而且 任何一个聊天里的回复，都不含来自不与它共享记忆的聊天的暗号
    而且 为任何一个聊天构建的提示词，都不含来自不与它共享记忆的聊天的暗号

  场景: Alice 在一个群里说的话，不会在另一个群里复述给她听
    当 Alice 在群聊 Garden 里分几轮告诉 Helper 一个暗号
    而且 Alice 在群聊 Kitchen 里问 Helper "我跟你说过什么？"
    而且 Alice 在群聊 Garden 里问 Helper "暗号是什么？"
    那么 Alice 在群聊 Garden 里问起时，Helper 记得暗号
    而且 任何一个聊天里的回复，都不含来自不与它共享记忆的聊天的暗号
    而且 为任何一个聊天构建的提示词，都不含来自不与它共享记忆的聊天的暗号

  @known_gap.private_chats_unanswered
  场景: Alice 在私聊里告诉 Helper 的事，不会在群里被想起
    当 Alice 在私聊里分几轮告诉 Helper 一个暗号
    而且 Bob 在群聊 Kitchen 里问 Helper "你对 Alice 了解多少？"
    而且 Alice 在私聊里问 Helper "暗号是什么？"
    那么 Alice 在私聊里问起时，Helper 记得暗号
    而且 任何一个聊天里的回复，都不含来自不与它共享记忆的聊天的暗号
    而且 为任何一个聊天构建的提示词，都不含来自不与它共享记忆的聊天的暗号

  @known_gap.private_chats_unanswered
  场景: Alice 在群里告诉 Helper 的事，不会在 Bob 的私聊里被想起
    当 Alice 在群聊 Garden 里分几轮告诉 Helper 一个暗号
    而且 Bob 在私聊里问 Helper "暗号是什么？"
    而且 Alice 在群聊 Garden 里问 Helper "暗号是什么？"
    那么 Alice 在群聊 Garden 里问起时，Helper 记得暗号
    而且 任何一个聊天里的回复，都不含来自不与它共享记忆的聊天的暗号
    而且 为任何一个聊天构建的提示词，都不含来自不与它共享记忆的聊天的暗号

  场景: 有意共享记忆的群彼此共享，其他群都不共享
    假如 群聊 Garden 和 Kitchen 有意共享记忆
    当 Alice 在群聊 Garden 里分几轮告诉 Helper 一个暗号
    而且 Bob 在群聊 Attic 里问 Helper "暗号是什么？"
    而且 Bob 在群聊 Kitchen 里问 Helper "暗号是什么？"
    那么 Bob 在群聊 Kitchen 里问起时，Helper 记得暗号
    而且 任何一个聊天里的回复，都不含来自不与它共享记忆的聊天的暗号
    而且 为任何一个聊天构建的提示词，都不含来自不与它共享记忆的聊天的暗号
