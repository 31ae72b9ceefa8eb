# language: zh-CN
@security
功能: 租户收回的密钥立即失效
  承诺：租户收回的密钥会被立即拒绝、被告知原因，而且听不到任何对话，无论密钥是被删除、
  被停用、过期，还是随它的智能体或租户一起被删除；收回时仍开着的连接怎么处理，报告会写明。
  密钥泄露了，运维做的第一件事就是把它收回。从那一刻起，谁再拿这个密钥来连接，都必须被立即
  拒绝，用一句清楚的话说明原因，而且绝不能听到任何人的对话。收回密钥时已经用它开着的连接，
  服务器可以关闭（并说明原因），也可以保留：这是服务器的选择，报告会写明它选了哪一种，
  以及多快。
  工程师备注：MaimConfig 的 v2 API 收回密钥的方式有：DELETE /api/v2/api-keys/{id}；
  PUT /api/v2/api-keys/{id} 并把 expires_at 设为过去的时间（在参考服务器上还有
  status "disabled"）；以及删除密钥所属的智能体或租户。MaiMBot 的 v1 配置 API 只能删除智能体
  （它的密钥就是 ID 本身）。目标的控制面做不到的方式（v1、名单 cast），场景会跳过并写明原因
  （docs/protocol.md，“Taking a key back”）。MaiMBot saas 从不校验密钥
  （forged_key_accepted），api_server 接受任何密钥（any_api_key）：对它们这些场景必然失败，
  但会先说明开着的连接怎么样了。每个场景建两个租户：saas 在用到超过 64 个智能体后会变慢
  （docs/real-saas.md）。

  背景:
    假如 租户 Acme 有一个智能体 Helper
    而且 租户 Beta 有一个智能体 Sales
    而且 Acme 的用户 Alice 已连接到 Helper
    而且 Beta 的用户 Bob 已连接到 Sales

  @known_gap.forged_key_accepted @known_gap.any_api_key
  场景大纲: 密钥被收回（<方式>）后立即被拒绝、被告知原因，而且什么也听不到
    当 Acme 收回 Helper 的密钥，方式是<方式>
    而且 Mallory 用 Acme 给 Helper 的密钥连接
    而且 Alice 的连接如果还在，就向 Helper 提问 "还有别人在听吗？"
    而且 Bob 向 Sales 提问 "我们周一涨价"
    那么 Alice 到 Acme 的 Helper 的连接要么在 2 秒内被关闭并说明原因，要么保持打开；报告写明是哪一种
    而且 Mallory 在 1 秒内被拒绝，并用一句话说明了原因
    而且 Bob 收到 Sales 的回复
    而且 Mallory 没有收到任何消息

    例子:
      | 方式           |
      | 删除密钥       |
      | 停用密钥       |
      | 让密钥过期     |
      | 删除它的智能体 |
      | 删除整个租户   |
