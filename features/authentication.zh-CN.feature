# language: zh-CN
@security
功能: 只有租户自己的智能体才能连接
  承诺：只有租户自己的智能体才能连接；其他任何人都会被立即拒绝、被告知原因，并且听不到任何人的对话。
  聊天适配器用一个密钥连接，密钥写明一个租户和它的一个智能体。凡是没有写明该租户某个
  智能体的密钥，服务器都必须拒绝，并立即用一句清楚的话告诉被拒的客户端（而不是让它干等），
  也绝不能让它听到任何人的对话。把租户写错格式的密钥也一样：要么拒绝，要么只回答给发送者，
  绝不能落到服务器的默认租户那里。
  工程师备注：密钥就是 maim_message 的 x-apikey 请求头：api_server 上是
  "<tenant_id>:<agent_id>"，saas 上是签发的 "mmc_..." 密钥（docs/protocol.md）。
  坏密钥是对目标格式正确、但谁也没有发放过的密钥。api_server 接受任何非空密钥（它的 on_auth
  就是 bool(api_key)，src/common/message/api.py），saas 接受任何格式正确的密钥（只解析不校验），
  所以标记了相应缺陷（any_api_key、unprefixed_key_is_default_tenant；forged_key_accepted）
  的场景对它们必然失败；-D known_gaps=skip 会跳过这些场景并注明缺陷名
  （maimbot_acceptance/targets/known_gaps.py）。saas 的密钥无法只凭 ID 写出，saas 也没有默认租户：
  这两类场景各自只适用于一种方言。

  背景:
    假如 租户 Acme 有一个智能体 Helper
    而且 租户 Beta 有一个智能体 Sales

  @known_gap.any_api_key @known_gap.forged_key_accepted
  场景大纲: <密钥>，立即被拒绝并说明原因
    当 Mallory 用<密钥>连接
    那么 Mallory 在 1 秒内被拒绝，并用一句话说明了原因

    例子:
      | 密钥                                   |
      | 一个不存在的租户的密钥                 |
      | 一个 Acme 并没有的智能体的密钥         |
      | 一个把 Acme 和 Beta 的智能体 Sales 配在一起的密钥 |
      | 一个只有 Acme 的 Helper 的智能体 ID 的密钥 |

  @known_gap.any_api_key @known_gap.forged_key_accepted
  场景: 被拒绝的客户端听不到任何人的对话
    假如 Acme 的用户 Alice 已连接到 Helper
    当 Mallory 用一个把 Acme 和 Beta 的智能体 Sales 配在一起的密钥连接
    而且 Alice 向 Helper 提问 "我们下周一涨价"
    那么 Mallory 在 1 秒内被拒绝，并用一句话说明了原因
    而且 Alice 收到 Helper 的回复
    而且 Mallory 没有收到任何消息

  @known_gap.forged_key_accepted @use.with_dialect=saas
  场景: 一个从未发放过、却写着 Acme 的 Helper 的密钥，听不到 Helper 的对话
    假如 Acme 的用户 Alice 已连接到 Helper
    当 Mallory 用一个从未发放过、却写着 Acme 的 Helper 的密钥连接
    而且 Alice 向 Helper 提问 "我们下周一涨价"
    那么 Mallory 在 1 秒内被拒绝，并用一句话说明了原因
    而且 Alice 收到 Helper 的回复
    而且 Mallory 没有收到任何消息

  @known_gap.unprefixed_key_is_default_tenant @use.with_dialect=api_server
  场景: 租户写错格式的密钥，到不了别的租户
    假如 Acme 的用户 Alice 已连接到 Helper
    而且 Dora 以服务器的默认租户和默认智能体身份连接着
    当 Mallory 用一个写着 Acme 的 Helper、但缺了租户前缀的密钥连接
    而且 Mallory 如果被放进来了，就说 "还有谁能看到这条？"
    而且 Alice 向 Helper 提问 "我们下周一涨价"
    那么 Alice 收到 Helper 的回复
    而且 Dora 没有收到任何消息
