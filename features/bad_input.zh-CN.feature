# language: zh-CN
功能: 坏输入不会搞垮服务
  承诺：无论某个发送者发来什么，服务对其他所有人照常运行，发送者也会知道这条消息的下场。
  聊天适配器出自许多人之手，迟早会有人发来谁都没想到的东西：一条空消息、一整部小说、
  一张图片、来自 Unicode 各个角落的文字、与自己的连接自相矛盾的消息，或者根本不是消息
  的字节。无论某个发送者做了什么，服务器都必须屹立不倒、继续服务其他每个租户，而发送者
  必须知道发生了什么：一条回复、一条错误回复、一个注明原因的关闭连接，或者本功能记录在案
  的沉默。这里的每次等待都有时限。有些场景逐字核对参考服务器对每种输入的处理：它们只针对
  参考服务器运行。
  工程师备注：MaiMBot 的流水线在智能体看到之前就丢掉了每条聊天消息（docs/protocol.md，
  api_server 缺陷 3），所以空消息、长消息和图片消息在那里只会遇到沉默；超过大小上限的数据包
  （maim_message 默认 100 MiB：若不同请设置 -D max_message_size）会像别处一样关闭连接。
  发送者是否还能听到原因（WebSocket 关闭码 1009），取决于几 MiB 以上数据包在 TCP 中的竞态
  （服务器在数据包其余部分还在路上时就重置了链路），所以只有先完整读取数据包再拒绝的参考
  服务器才被要求这样做。标记 use.with_server=reference 的场景核对它的确切错误回复和回显。

  背景:
    假如 租户 Acme 有一个智能体 Helper
    而且 租户 Beta 有一个智能体 Helper
    而且 Acme 的用户 Alice 已连接到 Helper
    而且 Beta 的用户 Bob 已连接到 Helper

  场景大纲: 收到<输入>之后，Alice 和 Bob 仍能与各自的智能体对话
    当 Alice 向 Helper 发送<输入>
    那么 Alice 和 Bob 仍能与各自的智能体对话

    例子:
      | 输入              |
      | 一条空消息        |
      | 一条 1 MiB 的消息 |
      | 一张图片          |

  场景: 超过服务器大小上限的消息，会关闭发送者的连接，而且只关闭她的
    当 Alice 向 Helper 发送一条刚超过服务器大小上限的消息
    那么 服务器关闭了 Alice 到 Helper 的连接
    而且 Alice 的客户端知道这条消息没有送达
    而且 Bob 仍能与自己的智能体对话
    当 Alice 重新连接到 Helper
    那么 Alice 仍能与自己的智能体对话

  场景: 自称来自另一平台的消息，到不了别的租户
    假如 Alice 还在 "qq" 上连接到 Helper
    当 Alice 在 "test" 上向 Helper 发送一条自称来自 "qq" 平台的消息："我在哪个平台上？"
    那么 Alice 在她的某个连接上收到 Helper 的回复
    而且 Bob 没有收到任何消息

  @use.with_server=reference
  场景大纲: 参考智能体对<输入>回以一条错误回复
    当 Alice 向 Helper 发送<输入>
    那么 Alice 收到 Helper 的回复，内容为 "<回答>"

    例子:
      | 输入       | 回答                                                    |
      | 一条空消息 | Helper got an empty message: there is nothing to answer |
      | 一张图片   | Helper cannot read image messages, only text            |

  @use.with_server=reference
  场景: 参考服务器说明它为何关闭连接：消息太大
    当 Alice 向 Helper 发送一条刚超过服务器大小上限的消息
    那么 服务器因为消息太大关闭了 Alice 到 Helper 的连接

  @use.with_server=reference
  场景: 参考智能体完整引用一条 1 MiB 的消息
    当 Alice 向 Helper 发送一条 1 MiB 的消息
    那么 回复逐字引用了 Alice 的消息

  @use.with_server=reference
  场景大纲: <种类>原样往返，一字不差
    当 Alice 向 Helper 提问这段文字 "<文字>"
    那么 回复逐字引用了 Alice 的消息

    例子: 看不见的字符用 \u 转义写出
      | 种类                         | 文字                                                   |
      | 带全角标点的中文             | 你好，世界！「测试」……                                 |
      | 带肤色和零宽连接的家庭表情   | 👋🏽 \U0001F468\u200D\U0001F469\u200D\U0001F467 family |
      | 从右往左的阿拉伯文           | مرحبا بالعالم                                          |
      | 带从右往左标记的希伯来文     | שלום\u200F world                                       |
      | 双向覆盖符及其结束符         | user\u202Egnp.exe\u202C                                |
      | 控制字符                     | tab\u0009new line\u000Abell\u0007escape\u001Bnul\u0000 |
      | 零宽字符和组合符号           | e\u0301 zero\u200Bwidth \uFEFFbom                      |
      | 基本平面以外的字符           | 𝕏 \U0001D11E 🀄                                        |

  @use.with_server=reference
  场景: 无论自称哪个平台，消息都在它来的连接上得到回答
    假如 Alice 还在 "qq" 上连接到 Helper
    当 Alice 在 "test" 上向 Helper 发送一条自称来自 "qq" 平台的消息："我在哪个平台上？"
    那么 Alice 在 "test" 上到 Helper 的连接收到 Helper 在 "test" 上的回复
    而且 Alice 在 "qq" 上到 Helper 的连接没有收到任何消息

  @use.with_server=reference
  场景大纲: <垃圾>换来一条说明错在哪里的错误，服务照常
    当 Alice 的适配器在它到 Helper 的连接上发送<垃圾>
    那么 Alice 的适配器被告知 "<原因>"
    而且 Alice 和 Bob 仍能与各自的智能体对话

    例子:
      | 垃圾                           | 原因                                                         |
      | 不是 JSON 的文字               | text that is not JSON is not a maim_message package          |
      | 一个 JSON 数组                 | a JSON array is not a maim_message package                   |
      | 一个不是数据包的 JSON 对象     | a JSON object without a 'type' is not a maim_message package |
      | 二进制数据                     | 256 bytes of binary data are not a maim_message package      |
      | 不带聊天消息的聊天数据包       | a chat package must carry a chat message                     |
      | 聊天消息格式不对的聊天数据包   | the chat message is malformed                                |
