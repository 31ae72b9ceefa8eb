"""The report's words in Chinese (zh-CN): the same keys as ``words.ENGLISH``, and
the English phrases of other modules (clauses, known gaps, skip reasons) a Chinese
reader meets, each with its Chinese words.

Written as a Chinese product owner says it (租户, 智能体, 群聊, 私聊, 守住); API key,
WebSocket, tenant IDs, p50/p95 and the names of known gaps stay as a Chinese engineer
writes them.
"""

from __future__ import annotations

CHINESE: dict[str, str] = {
    "held": "守住",
    "held in part": "部分守住",
    "broken": "未守住",
    "not checked here": "本次未检查",
    "not applicable to this kind of target": "不适用于此类目标",
    "not applicable, short": "不适用",
    "held, some checked": "守住，{total} 个场景检查了 {checked} 个：本次没有检查{missed}",
    "held, some checked, clauses": "守住，{total} 个场景检查了 {checked} 个：本次没有检查{missed}",
    "clause joiner": "，也没有检查",
    "tally": (
        "共 {total} 项承诺：守住 {held} 项，部分守住 {held_in_part} 项，未守住 {broken} 项，"
        "本次未检查 {not_checked} 项"
    ),
    "tally, not applicable": "，不适用于此类目标 {count} 项",
    "broke": "未守住：{line}",
    "not checked because": "本次未检查：{line}",
    "with known gap": "（已知缺陷：{name}）",
    "scenarios skipped": "{count} 个场景：{reason}",
    "scenarios passed": "{total} 个场景中通过 {passed} 个",
    "title, rehearsal": "测试套件在参考服务器上的彩排：不是对 MaiMBot 的裁决",
    "title, deployment": "MaiMBot 验收（{date}）：它承诺了什么，守住了什么",
    "target, rehearsal": "目标：{target}，{date}。",
    "rehearsal, said": (
        "这是测试套件在自己的替身上的彩排：以下每条裁决都是参考服务器的，不是 MaiMBot 的。"
    ),
    "target, deployment": "目标：{target}，{date}；{told}。",
    "tells no version": "它没有报告版本",
    "embedded server": "测试套件自己启动的内嵌参考服务器",
    "speaking dialect": "，使用 {dialect} 方言",
    "with fault": "，开启了故障“{fault}”",
    "a deployment": "一个部署：{target}",
    "gap open": "在此服务器上未修复（OPEN）",
    "gap closed": "在此服务器上已修复",
    "gap skipped": "未检查（已跳过）",
    "gap failed elsewhere": "本次未显现：它的场景在显现它的步骤之前就失败了（{where}）",
    "gap not fully checked": "未完全检查",
    "gap shows only past": "本次未显现：它的场景都通过了；它只在{only}时才会显现",
    "gap not judged": "本次不作裁决：这是彩排（它的场景在参考服务器上：{counts}）",
    "count of outcome": "{outcome} {count} 个",
    "outcome passed": "通过",
    "outcome failed": "失败",
    "outcome error": "出错",
    "outcome skipped": "跳过",
    "outcome shown": "在显现处失败",
    "gaps met, console": "本次遇到的 MaiMBot 已知缺陷（标记为 @known_gap.<名称>）：",
    "figures, console": "数据：",
    "property judged": "验收对象",
    "property target": "目标",
    "property date": "日期",
    "property target told": "目标自报",
    "property promises": "承诺",
    "property promise": "承诺：{name}",
    "property known gap": "已知缺陷：{name}",
    "property figure": "数据：{name}",
    "said of": "{name}：{value}",
    "details joiner": "；",
    "figure connections": "连接成功率",
    "figure replies": "回复成功率",
    "figure p50": "回复延迟 p50",
    "figure p95": "回复延迟 p95",
    "figure wall time": "本次运行耗时",
    "rate of connections": "{percent:.1f}%（{attempted} 个连接中成功 {succeeded} 个）",
    "rate of replies": "{percent:.1f}%（{attempted} 个问题中回答了 {succeeded} 个）",
    "figure revoked key refused": "收回的密钥被拒",
    "revoked key refused within": "收回后 {slowest} 内（{count} 次中最慢的一次）",
    "figure open when revoked": "密钥收回时仍开着的连接",
    "closed saying why": "{count} 条被关闭并说明了原因，最慢 {slowest}",
    "kept open": "{count} 条仍保持打开",
    "of connections": "{fates}（共 {total} 条）",
    "none measured": "未测得",
    "no replies": "没有可测量的回复",
    "promises heading": "承诺",
    "column capability": "能力",
    "column promise": "承诺内容",
    "column verdict": "裁决",
    "column details": "详情",
    "gaps heading": "本次遇到的 MaiMBot 已知缺陷",
    "no gaps": "无：没有运行任何已知缺陷的场景。",
    "gaps on rehearsal": (
        "参考服务器只是测试套件的替身，不是 MaiMBot：这些缺陷只有针对 MaiMBot 部署的运行才能裁决。"
    ),
    "column gap": "缺陷",
    "column here": "本次",
    "figures heading": "数据",
    "column figure": "指标",
    "column value": "数值",
    "legend heading": "如何阅读本页",
    "legend held": "该能力运行的每个场景都通过了，而且合起来检查了承诺的每一部分",
    "legend held, n of m": "守住，m 个场景检查了 n 个",
    "legend held in part": "运行的场景都通过了，但本次没有检查承诺的某一部分（已写明）",
    "legend broken": "有场景失败：承诺在这里没有守住（写明了失败所显现的已知缺陷）",
    "legend not checked": "该能力没有场景在这里运行（写明了原因）",
    "legend not applicable": (
        "这类目标都搭不出它的场景（例如对部署重启服务器）：本次运行本来就无从检查"
    ),
    "legend open": "未修复（OPEN）",
    "legend open means": "本次运行显现出的 MaiMBot 已知缺陷",
    "legend not judged": "本次不作裁决",
    "legend not judged means": "在不是 MaiMBot 的服务器上遇到的 MaiMBot 已知缺陷",
    "promise marker": "承诺：",
    "engineers": "工程师备注",
    "exchange": "对话",
    "exchanges": "对话（{count} 条）",
    "column who": "谁",
    "column asked": "问谁",
    "column where": "在哪",
    "column said": "说了什么",
    "column reply": "回复",
    "column latency": "用时",
    "group chat on": "群聊，{platform}",
    "private chat on": "私聊，{platform}",
    "no reply": "（没有回复）",
    "skipped": "已跳过",
    "skipped heading": "跳过的场景及原因：",
    "skipped because": "已跳过：{reason}",
    "target is": "；目标是 {target}",
    "run ended": "运行结束",
    "interrupted": (
        "运行被中断（{signal}，第 {at:.1f} 秒），{selected} 个场景只跑完了 {done} 个："
        "其余没有运行，对它们不作任何裁决"
    ),
    "interrupted while it ran": "运行中被中断（{signal}，第 {at:.1f} 秒）",
    "not run, interrupted": "未运行：本次运行被中断了（{signal}，第 {at:.1f} 秒）",
    "interrupted before the first scenario": (
        "在第一个场景之前、{doing}时被中断（{signal}）：没有作出任何裁决"
    ),
    "interrupted again": "再次中断（{signal}）：立即停止，不再写报告",
    "stopped": (
        "遇到第一个失败就停止了（--stop），{selected} 个场景只跑完了 {done} 个：其余没有运行"
    ),
    "not run, stopped": "未运行：本次运行在第一个失败处停止了（--stop）",
    "target lost": (
        "目标在第 {at:.1f} 秒停止响应（{problem}）：{count} 个场景无法运行，对它们不作任何裁决"
    ),
    "lost while it ran": "没能跑完：运行中目标在第 {at:.1f} 秒停止响应",
    "not run, target lost": "无法运行：目标在第 {at:.1f} 秒停止响应",
    "suite error": (
        "这是测试套件自身的错误，不是对目标的裁决：{count} 个场景因套件自身的错误而结束"
        "（{first}）；错误堆栈在失败的步骤下面（behave 默认的 pretty 输出，以及 HTML 报告）"
    ),
    "nothing selected": "未通过：本次运行没有选中任何场景（给出的标签或名称与套件的场景都不匹配）",
    "nothing ran": (
        "未通过：没有任何场景运行（选中 {selected} 个，全部跳过：{reasons}）；"
        "如果这是预期的，用 -D may_go_unchecked=<能力或 @标签> 说明"
    ),
    "capability not checked": (
        "未通过：选中的能力中有 {count} 项完全没有检查：{said}；"
        "如果这是预期的，用 -D may_go_unchecked=<能力或 @标签> 说明"
    ),
    "capabilities not checked": (
        "未通过：选中的能力中有 {count} 项完全没有检查：{said}；"
        "如果这是预期的，用 -D may_go_unchecked=<能力或 @标签> 说明"
    ),
    "capability, why": "{name}（{reasons}）",
    "count of reason": "{reason}（{count} 个场景）",
    "list joiner": "，",
}

CHINESE_PHRASES: dict[str, str] = {
    # the clauses of promises (clauses.py)
    "the service staying up for everyone else": "服务对其他所有人照常运行",
    "the sender learning what became of a bad message": "发送者得知坏消息的下场",
    "new users a few seconds after the start": "启动几秒后到来的新用户",
    "new users after ten minutes up": "运行十分钟后到来的新用户",
    "an answer in a group chat": "群聊中的回答",
    "an answer in a private chat, given privately": "私聊中私下给出的回答",
    "anyone else being refused at once, told why": "其他人被立即拒绝并被告知原因",
    "a refused client hearing nothing of anyone's conversation": ("被拒的客户端听不到任何人的对话"),
    "a deleted key refused": "删除的密钥被拒绝",
    "a disabled key refused": "停用的密钥被拒绝",
    "an expired key refused": "过期的密钥被拒绝",
    "the key of a deleted agent refused": "已删除的智能体的密钥被拒绝",
    "the key of a deleted tenant refused": "已删除的租户的密钥被拒绝",
    "a few tenants conversing at once": "几个租户同时对话",
    "a busy hour: 10 tenants with 5 agents each": "繁忙时段：10 个租户，各有 5 个智能体",
    "coming back and carrying on after a drop": "断开后回来接着聊",
    "a slow network costing no reply": "网络慢不耽误回复",
    "what is said over a broken connection being delivered or reported": (
        "断线期间说的话被送达或报告为未送达"
    ),
    "fifty messages at once each answered once, in order": (
        "同时发出的五十条消息各得到一次回答，顺序正确"
    ),
    # why scenarios were not checked (targets/applicability.py, promises.NOT_SELECTED)
    "not selected for this run": "本次运行未选中",
    "not judged: it ended in an error of the suite itself": (
        "不作裁决：它因测试套件自身的错误而结束"
    ),
    # what the run was doing when interrupted before the first scenario (run_end.py)
    "the start-up": "启动",
    "the first look at the target": "初次查看目标",
    "the first exchange with the target": "与目标的第一次对话",
    "needs the reference server's deterministic agents": "需要参考服务器的确定性智能体",
    "needs a server the suite runs itself, to stop, kill and restart it (the embedded "
    "reference server)": ("需要测试套件自己运行的服务器，以便停止、强杀和重启它（内嵌参考服务器）"),
    "is about another MaiMBot dialect than the target's": "针对的是与目标不同的 MaiMBot 方言",
    "heavy load, left out against a deployment (it may keep the server busy for minutes "
    "and fail the scenarios after it); -D heavy=run runs it": (
        "重负载，对部署不运行（它可能让服务器忙上几分钟，拖垮后面的场景）；-D heavy=run 会运行它"
    ),
    "its active tags do not match the target": "它的条件标签与目标不符",
    # known gaps, in plain words (targets/known_gaps.py)
    "MaiMBot lets in anyone who presents a key, even a key naming a tenant or an agent "
    "that does not exist": ("MaiMBot 让任何出示密钥的人进来，即使密钥写的租户或智能体根本不存在"),
    "MaiMBot answers only a few messages of a burst and takes the rest as already read: "
    "of 10 sent within milliseconds it answered 2 to 4": (
        "一串连发的消息，MaiMBot 只回答其中几条，其余当作已读："
        "几毫秒内发出 10 条，它只回答了 2 到 4 条"
    ),
    "a client that presents the id of someone else's live connection takes over the "
    "replies meant for it": "出示别人在用连接 ID 的客户端，会抢走发给那条连接的回复",
    "MaiMBot may never answer a question asked right after its previous reply: it takes "
    "the question as already read": (
        "紧跟在上一条回复之后提出的问题，MaiMBot 可能永远不回答：它把问题当作已读"
    ),
    "MaiMBot never answers a message that reaches it tens of seconds after it was "
    "written, as a message resent after a reconnect does": (
        "写好几十秒后才到达的消息（例如重连后重发的消息），MaiMBot 从不回答"
    ),
    "MaiMBot answers group chats but never a private one": "MaiMBot 回答群聊，但从不回答私聊",
    "a key that names its tenant the wrong way lands with the server's default tenant, "
    "and that tenant's connections get its replies": (
        "租户写错格式的密钥会落到服务器的默认租户名下，默认租户的连接会收到它的回复"
    ),
    "MaiMBot (saas) lets in a key it never handed out, if only it is shaped like one of "
    "its keys, and one its tenant took back; one that names a real tenant and agent "
    "receives that agent's replies": (
        "MaiMBot（saas）放行从未发放过的密钥，只要格式像它的密钥，租户已收回的密钥也照样放行；"
        "写着真实租户和智能体的，还会收到那个智能体的回复"
    ),
    "MaiMBot (saas) never answers, in private, a user whose platform user id a user of "
    "another tenant already has": (
        "平台用户 ID 已被其他租户的用户占用的用户，MaiMBot（saas）从不在私聊中回答"
    ),
    "a message that names another tenant's key has its reply delivered to that other "
    "tenant's connections": "写着其他租户密钥的消息，它的回复会送到那个租户的连接上",
    "MaiBot (upstream) sends every reply to every API client on the platform: one "
    "client's users read what the bot answers another's": (
        "MaiBot（upstream）把每条回复发给同一平台上的所有 API 客户端：一个客户端的用户能读到"
        "机器人回答另一个客户端的话"
    ),
    "MaiBot (upstream) marks a reply as the answer to whichever API client spoke last "
    "on the platform, not to the one whose user asked": (
        "MaiBot（upstream）把回复标记为发给平台上最后发言的那个 API 客户端，"
        "而不是提问用户所在的那个"
    ),
    "MaiMBot (saas) slows until replies come late or never once it has chatted as more "
    "than 64 agents since it started, even agents deleted since": (
        "MaiMBot（saas）自启动以来用过的智能体一旦超过 64 个（已删除的也算），就会慢下来，"
        "回复迟到甚至不来"
    ),
    # when a gap can show at all (known_gaps.KnownGap.shows_only)
    "once the server has chatted as more than 64 agents since it started": (
        "服务器自启动以来用过的智能体超过 64 个"
    ),
    # the ways a tenant takes a key back (targets/provisioning.py REVOCATIONS), as the
    # templates below name them
    "deleted": "删除",
    "disabled": "停用",
    "expired": "过期",
    "agent deleted": "删除智能体",
    "tenant deleted": "删除租户",
}

CHINESE_TEMPLATES: dict[str, str] = {
    # why a scenario that takes a key back is skipped (targets/provisioning.py)
    "needs a key taken back ({how}), which MaiMBot's v1 config API cannot do: its keys are "
    "the tenant and agent ids themselves, and it deletes agents, not keys or tenants": (
        "需要以{how}的方式收回密钥，而 MaiMBot 的 v1 配置 API 做不到：它的密钥就是租户 ID "
        "和智能体 ID 本身，它只能删除智能体，不能删除密钥或租户"
    ),
    "needs a key taken back ({how}), which the cast {cast} cannot do: it names a "
    "deployment's existing tenants and agents, with no control plane to take a key back "
    "with": (
        "需要以{how}的方式收回密钥，而名单 {cast} 做不到：它只列出部署中已有的租户和智能体，"
        "没有可以收回密钥的控制面"
    ),
}
