"""Known gaps: what the suite demands and today's MaiMBot does not do.

A scenario tagged ``@known_gap.<name>`` specifies a property that the real server
lacks (docs/protocol.md, "Known defects"). A gap belongs to the MaiMBot it was seen
in (``dialects``: "api_server", "saas"): a run judges only the gaps of its target's
dialect, so a gap of api_server is neither open nor closed on saas. Against that
MaiMBot the scenario fails, by design: the suite's job is to say so, by name, not
to hide it. With ``-D known_gaps=skip`` such scenarios are
skipped instead, with the gap as the reason (never dropped without a word).

A gap is called OPEN only when its scenario failed at a step that shows it: a
server that answers nothing at all also fails the burst scenario, but at the step
before the one that counts the replies, and that says nothing of bursts. At the end
of a run a summary names each gap met and how its scenarios fared.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

TAG_PREFIX = "known_gap."

API_SERVER = frozenset({"api_server"})
SAAS = frozenset({"saas"})
UPSTREAM = frozenset({"upstream"})
BOTH = API_SERVER | SAAS
WHEEL = "maibot 1.3.15 wheel"
"""Where upstream's evidence is read: the PyPI wheel, with maim_message 0.6.8 beside it."""
SAAS_READ_MARK = (
    "; saas 31e15223 keeps the same read mark by its own clock "
    "(src/chat/heart_flow/heartFC_chat.py:187-228)"
)


@dataclass(frozen=True)
class KnownGap:
    what: str
    """What is wrong, in plain words a product owner reads (the report's first page)."""
    evidence: str
    """Where it was seen, for engineers: code, wire names, measurements."""
    shown_by: str
    """A pattern of the step texts ("Then ...") at which a failure shows this gap."""
    dialects: frozenset[str] = frozenset({"api_server"})
    """Which MaiMBot has it: "api_server" (the sealed branch), "saas", "upstream" (the
    PyPI maibot 1.x), or several."""
    shows_only: str = ""
    """When its scenarios can show it at all ("once ..."), for a gap their passing does
    not close: a run that never got there checked nothing of it."""

    def shows(self, step: str) -> bool:
        return re.search(self.shown_by, step) is not None


KNOWN_GAPS: dict[str, KnownGap] = {
    "any_api_key": KnownGap(
        "MaiMBot lets in anyone who presents a key, even a key naming a tenant or an "
        "agent that does not exist",
        evidence="its on_auth is bool(api_key) (api_server branch, src/common/message/api.py)",
        shown_by=r"is refused within",
    ),
    "burst_partly_answered": KnownGap(
        "MaiMBot answers only a few messages of a burst and takes the rest as already "
        "read: of 10 sent within milliseconds it answered 2 to 4",
        evidence="of 50 about as few; it reads 'new' by its own clock and moves its read "
        'mark past the rest (docs/protocol.md, "Known defects")' + SAAS_READ_MARK + "; "
        "upstream keeps 30 messages of a group in its context (src/config/official_configs.py:"
        "835, max_context_size) and, after a planner round, cuts the rest off into a summary "
        f"that is never answered (src/maisaka/reasoning_engine.py:1270-1300; {WHEEL}): 6 of "
        "50 answered",
        shown_by=r"gets \d+ replies from .*, one per message",
        dialects=BOTH | UPSTREAM,
    ),
    "connection_id_takeover": KnownGap(
        "a client that presents the id of someone else's live connection takes over "
        "the replies meant for it",
        evidence="maim_message 0.7.5's server trusts the connection id (x-uuid) a client "
        "chooses; both api_server and saas serve chat through that server; upstream's "
        "maim_message 0.6.8 likewise files the connection under the x-uuid it is given "
        f"(maim_message/server_ws_connection.py:287, :221-228, beside the {WHEEL})",
        shown_by=r"is refused within|receives nothing",
        dialects=BOTH | UPSTREAM,
    ),
    "follow_up_taken_as_read": KnownGap(
        "MaiMBot may never answer a question asked right after its previous reply: it "
        "takes the question as already read",
        evidence="after each reply it plans again, and a message that arrives meanwhile "
        "falls behind its read mark (3x2 grid, 3 questions each: 6 of 18 unanswered in "
        "one run, none in another)" + SAAS_READ_MARK,
        shown_by=r"reply success rate is|was silently lost|gets a reply from",
        dialects=BOTH,
    ),
    "late_message_unanswered": KnownGap(
        "MaiMBot never answers a message that reaches it tens of seconds after it was "
        "written, as a message resent after a reconnect does",
        evidence="it takes the message's own time for 'already read' (a message dated "
        '30 s back was never answered; docs/protocol.md, "Known defects")' + SAAS_READ_MARK,
        shown_by=r"was silently lost",
        dialects=BOTH,
    ),
    "private_chats_unanswered": KnownGap(
        "MaiMBot answers group chats but never a private one",
        evidence="its private-chat pipeline fails on every message (brain_chat.py: the "
        "chat stream's context is never set, 'NoneType' object has no attribute "
        "'get_template_name')",
        shown_by=r"gets a reply from|收到 .* 的回复|in private",
    ),
    "unprefixed_key_is_default_tenant": KnownGap(
        "a key that names its tenant the wrong way lands with the server's default "
        "tenant, and that tenant's connections get its replies",
        evidence="a key whose tenant part lacks the 'tenant_' prefix (acme:agentX) is "
        "filed under default:default (src/common/message/api.py)",
        shown_by=r"receives nothing",
    ),
    "forged_key_accepted": KnownGap(
        "MaiMBot (saas) lets in a key it never handed out, if only it is shaped like "
        "one of its keys, and one its tenant took back; one that names a real tenant and "
        "agent receives that agent's replies",
        evidence="saas asks MaimConfig only to parse a key (parse-api-key, format only), "
        "never to validate it (validate-api-key looks it up), and files the connection "
        "under tenant_agent_version, dropping the key's random part (saas 31e15223, "
        "src/common/message/api.py:234-279, :300-309); a key deleted or expired at "
        "MaimConfig, or whose agent or tenant was deleted, still connects",
        shown_by=r"is refused within|receives nothing",
        dialects=SAAS,
    ),
    "colliding_person_unanswered": KnownGap(
        "MaiMBot (saas) never answers, in private, a user whose platform user id a user of "
        "another tenant already has",
        evidence="a person's id is md5(platform + user id) and unique across tenants while "
        "people are looked up per tenant, so the second tenant's person is never stored "
        "(UNIQUE constraint failed: person_info.person_id; saas 31e15223, "
        "src/person_info/person_info.py:34-40, :507-522; "
        "src/common/database/database_model.py:453); its private chat has no known target "
        "(src/chat/utils/utils.py:622-626) and the planner fails building its prompt "
        "(src/chat/brain_chat/brain_planner.py:305-308, :327: UnboundLocalError "
        "chat_context_description), so the model is sent '构建 Planner Prompt 时出错' as the "
        "whole prompt (:338-341; seen at the LLM tap) and no reply is planned",
        shown_by=r"asks \S+ in private",
        dialects=SAAS,
    ),
    "reply_follows_claimed_key": KnownGap(
        "a message that names another tenant's key has its reply delivered to that "
        "other tenant's connections",
        evidence="saas takes a reply's route from the incoming message's "
        "message_dim.api_key, not from the connection it came on (saas 31e15223, "
        "src/common/message/api.py:437-449, :496-558); the message itself is stored "
        "under the sender's tenant",
        shown_by=r"receives nothing",
        dialects=SAAS,
    ),
    "platform_broadcast": KnownGap(
        "MaiBot (upstream) sends every reply to every API client on the platform: one "
        "client's users read what the bot answers another's",
        evidence="its API Server never maps a key to a user (src/common/message_server/"
        "api.py:83-96 sets on_auth, never on_auth_extract_user), so maim_message 0.6.8 "
        "files every connection under the user 'sys_default' (maim_message/ws_config.py:"
        "112-116, :143-144) and sends a reply to all of that user's connections on the "
        f"platform (maim_message/server_ws_api.py:425-504; {WHEEL}); seen: a reply to "
        "Acme's user reached Beta's connection in the same millisecond",
        shown_by=r"receives (nothing|anything else)|没有收到|received carries a code word",
        dialects=UPSTREAM,
    ),
    "reply_labelled_with_last_speaker": KnownGap(
        "MaiBot (upstream) marks a reply as the answer to whichever API client spoke last "
        "on the platform, not to the one whose user asked",
        evidence="every inbound message sets platform_map[platform] to its connection's key "
        "(src/common/message_server/api.py:117-125), and a reply takes its message_dim."
        "api_key from that map when it is sent (src/chat/message_receive/uni_message_sender."
        f"py:175-195; {WHEEL}); seen: the reply to Acme's user routed with key-beta after "
        "Beta's user spoke",
        shown_by=r"is marked as|标明属于",
        dialects=UPSTREAM,
    ),
    "slow_past_64_agents": KnownGap(
        "MaiMBot (saas) slows until replies come late or never once it has chatted as "
        "more than 64 agents since it started, even agents deleted since",
        evidence="it caches agent configurations in an LRU of 64 keyed by tenant and agent "
        "(saas 31e15223, src/config/config.py:462-482, :496-500, :549) and loads a missing "
        "one while its event loop waits (:456); every chat keeps a loop that reads the "
        "configuration every 0.3 s when idle (src/chat/heart_flow/heartFC_chat.py:185, "
        ":252, :610; src/common/message_repository.py:82) and is never stopped "
        "(src/chat/heart_flow/heartflow.py:18-46 only adds), and the configuration of a "
        "deleted agent is still built (src/common/message/db_agent_config_loader.py:194-321): "
        "with 63 agents' chats it loaded each configuration 97 times a minute (11796 loads "
        "in the minute of 02:00 UTC, 2026-12-07; 70 agents in that run), and the last "
        "feature's questions went unanswered within 10 s",
        shown_by=r"gets a reply from|and got a reply",
        dialects=SAAS,
        shows_only="once the server has chatted as more than 64 agents since it started",
    ),
}
"""Every gap a tag may name: what is wrong, the evidence, and which steps show it. The
plain words are written here once: features, skip reasons and reports quote them."""


JUDGES_GAPS_OF = {"reference": "api_server"}
"""A target dialect whose gaps are another's: the reference server in its default
dialect stands for api_server, so a run against it says which of api_server's gaps
it closes."""


def of_dialect(name: str, dialect: str | None) -> bool:
    """Whether the gap ``name`` is one the target's ``dialect`` can show (None: any)."""
    return dialect is None or JUDGES_GAPS_OF.get(dialect, dialect) in KNOWN_GAPS[name].dialects


def gaps_of(tags: Iterable[str], dialect: str | None = None) -> list[str]:
    """The known gaps a scenario's tags name, of the target's ``dialect`` (None: all);
    a name not in KNOWN_GAPS is a typo."""
    names = [tag.removeprefix(TAG_PREFIX) for tag in tags if tag.startswith(TAG_PREFIX)]
    unknown = [name for name in names if name not in KNOWN_GAPS]
    if unknown:
        known = ", ".join(sorted(KNOWN_GAPS))
        raise ValueError(f"unknown known gap(s) {', '.join(unknown)} in tags; known: {known}")
    return [name for name in names if of_dialect(name, dialect)]


def skip_reason(tags: Iterable[str], policy: str, dialect: str | None = None) -> str | None:
    """Why to skip a scenario under ``-D known_gaps=<policy>``; None to run it."""
    gaps = gaps_of(tags, dialect)
    if policy != "skip" or not gaps:
        return None
    return "; ".join(f"known gap {name} ({KNOWN_GAPS[name].what})" for name in gaps) + (
        ", skipped by -D known_gaps=skip"
    )


SHOWN = "shown"
"""The outcome of a scenario that failed at a step showing its gap."""

VERDICTS = {
    "gap open": "OPEN on this server",
    "gap closed": "closed on this server",
    "gap skipped": "not checked (skipped)",
    "gap failed elsewhere": (
        "not shown here: its scenarios failed before the step that shows it ({where})"
    ),
    "gap not fully checked": "not fully checked",
    "gap shows only past": "not shown here: its scenarios passed; it shows only {only}",
}
"""A gap's verdict, by key, in English (reports/words.py has them in every language)."""


@dataclass
class GapLedger:
    """How the scenarios of each known gap ended, for the summary after the run."""

    dialect: str | None = None
    """The target's dialect: gaps of another MaiMBot are not recorded (None: every gap)."""
    outcomes: dict[str, Counter[str]] = field(default_factory=dict)
    failed_elsewhere: dict[str, list[str]] = field(default_factory=dict)

    def record(self, tags: Iterable[str], status: str, failed_step: str | None = None) -> None:
        """``status`` is behave's ("passed", "failed", "error", "skipped", ...);
        ``failed_step`` the text of the step that failed ("Then Alice gets ...")."""
        for name in gaps_of(tags, self.dialect):
            outcome = status
            if status in ("failed", "error"):
                if failed_step is not None and KNOWN_GAPS[name].shows(failed_step):
                    outcome = SHOWN
                else:
                    self.failed_elsewhere.setdefault(name, []).append(failed_step or "a hook")
            self.outcomes.setdefault(name, Counter())[outcome] += 1

    def verdict(self, name: str) -> str:
        return VERDICTS[self.verdict_key(name)].format(
            where=self.where_failed(name), only=KNOWN_GAPS[name].shows_only
        )

    def verdict_key(self, name: str) -> str:
        """Which of ``VERDICTS`` the gap gets (the report words it in the run's language)."""
        counts = self.outcomes[name]
        if counts.get(SHOWN):
            return "gap open"
        if set(counts) == {"passed"} and KNOWN_GAPS[name].shows_only:
            # A gap that shows only past some point is not closed by a run short of it.
            return "gap shows only past"
        if set(counts) == {"passed"}:
            return "gap closed"
        if set(counts) == {"skipped"}:
            return "gap skipped"
        if name in self.failed_elsewhere:
            return "gap failed elsewhere"
        return "gap not fully checked"

    def where_failed(self, name: str) -> str:
        return "; ".join(sorted(set(self.failed_elsewhere.get(name, []))))

    def summary(self) -> list[str]:
        if not self.outcomes:
            return []
        lines = ["Known gaps (scenarios tagged @known_gap.<name>; -D known_gaps=skip skips them):"]
        for name, counts in sorted(self.outcomes.items()):
            tally = ", ".join(
                f"{n} {'failed where it shows' if status == SHOWN else status}"
                for status, n in sorted(counts.items())
            )
            gap = KNOWN_GAPS[name]
            said = f"{gap.what}; evidence: {gap.evidence}"
            lines.append(f"  {name}: {self.verdict(name)} ({tally}): {said}")
        return lines


def failed_step(scenario: object) -> str | None:
    """The text of the first step of a behave scenario that failed or errored."""
    for step in getattr(scenario, "all_steps", ()):
        if getattr(step.status, "name", "") in ("failed", "error"):
            return f"{step.keyword} {step.name}"
    return None
