"""Deterministic agents: what the reference server's agents answer.

The real MaiMBot answers with an LLM (any wording, maybe late, maybe not at all);
these answer predictably, so reference-only scenarios can check exact text.
"""

from __future__ import annotations

from collections.abc import Callable

from .memory import Recollection, asks_to_recall
from .registry import TEMPLATES, AgentRecord

Behaviour = Callable[[AgentRecord, str, str, Recollection], list[str]]
"""(agent, text of the message, segment type, what the agent remembers there)
-> texts of the replies, in order."""


def echo(agent: AgentRecord, text: str, segment_type: str, memory: Recollection) -> list[str]:
    """One reply that names the agent and quotes the message, and, asked what it knows,
    what it remembers there; an error reply, still naming the agent, for what it
    cannot answer (no text, or not text at all)."""
    if segment_type != "text":
        return [f"{agent.name} cannot read {segment_type} messages, only text"]
    if not text.strip():
        return [empty_message_text(agent.name)]
    facts = memory.facts() if asks_to_recall(text) else []
    return [echo_text(agent.name, text) + recall_text(facts)]


def recall_text(facts: list[str]) -> str:
    """What the echo agent adds when asked what it knows and it remembers something."""
    return f" I remember: {' / '.join(facts)}" if facts else ""


BEHAVIOURS: dict[str, Behaviour] = {"echo": echo}
_BY_TEMPLATE = {t["template_id"]: BEHAVIOURS[t["behaviour"]] for t in TEMPLATES}


def behaviour_of(agent: AgentRecord) -> Behaviour:
    """Unknown templates answer like the default assistant: echo."""
    return _BY_TEMPLATE.get(agent.template_id, echo)


def echo_text(agent_name: str, text: str) -> str:
    """The exact reply the echo agent gives (for reference-only expectations)."""
    return f"{agent_name} heard: {text}"


def empty_message_text(agent_name: str) -> str:
    """The echo agent's answer to a message with no text (or only white space)."""
    return f"{agent_name} got an empty message: there is nothing to answer"
