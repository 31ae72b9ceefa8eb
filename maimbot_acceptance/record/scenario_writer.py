"""One recorded conversation written as a scenario: its Givens, Whens and Thens."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..wire.cast import AGENT_ID, TENANT_ID
from .gherkin_text import and_, clock, escaped, keyworded, plain, shorten
from .naming import Namer, Names
from .recording import Heard, RecordedConnection, RecordedConversation, Said

PAUSE_KEPT = 0.2
"""Recorded pauses shorter than this (seconds) are not written: they are noise."""
NOBODY_ELSE = "no one receives what was not meant for them"
"""The isolation step (features/steps/replay_steps.py), over every user of the scenario."""


def usable(link: RecordedConnection) -> bool:
    """A key the cast (and so the replay) can name: ``tenant_...:agent``."""
    return bool(
        TENANT_ID.fullmatch(link.tenant_id)
        and AGENT_ID.fullmatch(link.agent_id)
        and not TENANT_ID.fullmatch(link.agent_id)
    )


@dataclass(frozen=True)
class Options:
    exact: bool = False
    redact: bool = False
    slack: float = 3.0
    min_wait: float = 1.0
    gap: float = 30.0

    def __post_init__(self) -> None:
        if self.exact and self.redact:
            raise ValueError("--exact demands the texts that --redact hides: choose one")
        if self.slack < 1 or self.min_wait <= 0 or self.gap <= 0:
            raise ValueError("--slack must be at least 1, --min-wait and --gap above 0")


@dataclass
class RecordedPerson:
    name: str
    tenant_id: str
    user_id: str
    connections: list[tuple[str, str]] = field(default_factory=list)
    """(agent id, platform), in order of first use."""
    asked: bool = False


class RecordedScenario:
    def __init__(
        self, conversation: RecordedConversation, namer: Namer, options: Options, platform: str
    ):
        self.conversation = conversation
        self.namer, self.options, self.platform = namer, options, platform
        self.users: Names = namer.users()
        self.people: dict[tuple[str, str], RecordedPerson] = {}
        self.owners: dict[int, list[RecordedPerson]] = {}
        self.left_out = 0
        self.steps: list[str] = []
        self._cast_people()
        self._converse()

    @property
    def has_steps(self) -> bool:
        return any(step.startswith("When") for step in self.steps)

    # -- who is there ----------------------------------------------------------------

    def _cast_people(self) -> None:
        nameable = [link for link in self.conversation.links if usable(link)]
        for said in self.conversation.said:
            if not usable(said.link):
                self.left_out += 1
                continue
            person = self._person(said.link.tenant_id, said.user_id, said.nickname)
            person.asked = True
            self._attach(person, said.link)
        for link in nameable:
            if link.number not in self.owners:  # it only listened: a witness of its own
                self._attach(self._person(link.tenant_id, f"link {link.number}", ""), link)
        for heard in self.conversation.heard:
            for copy in (heard, *heard.copies):
                if usable(copy.link):
                    self._agent(
                        copy.link, heard.sender_name if copy.link.api_key == heard.api_key else ""
                    )

    def _person(self, tenant_id: str, user_key: str, nickname: str) -> RecordedPerson:
        key = (tenant_id, user_key)
        if key not in self.people:
            name = self.users.name(f"{tenant_id}/{user_key}", nickname)
            self.people[key] = RecordedPerson(name, tenant_id, user_key)
        return self.people[key]

    def _attach(self, person: RecordedPerson, link: RecordedConnection) -> None:
        connection = (link.agent_id, link.platform)
        if connection not in person.connections:
            person.connections.append(connection)
        owners = self.owners.setdefault(link.number, [])
        if person not in owners:
            owners.append(person)

    def _agent(self, link: RecordedConnection, nickname: str = "") -> str:
        return self.namer.agent(link.tenant_id, link.agent_id, nickname)

    # -- what happened -----------------------------------------------------------------

    def _converse(self) -> None:
        pending: dict[tuple[str, str, str], Said] = {}
        items: list[tuple[float, int, Said | Heard]] = [
            (s.at, 0, s) for s in self.conversation.said if usable(s.link)
        ]
        items += [(h.at, 1, h) for h in self.conversation.heard if h.answers is not None]
        items.sort(key=lambda item: (item[0], item[1]))
        last_sent: float | None = None
        for _, _, item in items:
            if isinstance(item, Said):
                key = (item.link.tenant_id, item.user_id, item.link.agent_id)
                earlier = pending.pop(key, None)
                if earlier is not None:
                    self._then(earlier)
                if not item.text and item.segment_types != ("text",):
                    self.steps.append(
                        f"# {self._asker(item).name} sent {self._agent(item.link)} a "
                        f"{'+'.join(item.segment_types) or 'non-text'} message: not replayed"
                    )
                    continue
                if last_sent is not None and item.at - last_sent >= PAUSE_KEPT:
                    self.steps.append(
                        f"When {item.at - last_sent:.1f} s have passed since the last message"
                    )
                last_sent = item.at
                self.steps.append(self._when(item))
                if item.answer is None:
                    self.steps.append(
                        f"# {self._agent(item.link)} did not answer this in the recording"
                    )
                else:
                    pending[key] = item
            elif item.answers is not None:
                said = item.answers
                key = (said.link.tenant_id, said.user_id, said.link.agent_id)
                if pending.get(key) is said:
                    del pending[key]
                    self._then(said)
        for said in pending.values():
            self._then(said)
        self._isolation()

    def _asker(self, said: Said) -> RecordedPerson:
        return self.people[(said.link.tenant_id, said.user_id)]

    def _when(self, said: Said) -> str:
        person, agent = self._asker(said), self._agent(said.link)
        text = self.namer.text(said.text)
        private = said.group_id is None
        on_default = said.link.platform == self.platform
        if plain(text) and on_default:
            return f'When {person.name} asks {agent} "{text}"' + (
                " in a private chat" if private else ""
            )
        if plain(text) and not private:
            return f'When {person.name} asks {agent} on "{said.link.platform}": "{text}"'
        if on_default and not private:
            return f'When {person.name} asks {agent} the text "{escaped(text)}"'
        chat = "private" if private else "group"
        return (
            f'When {person.name} asks {agent}, in a {chat} chat on "{said.link.platform}", '
            f'the text "{escaped(text)}"'
        )

    def _then(self, said: Said) -> None:
        heard = said.answer
        assert heard is not None
        arrivals = [heard, *heard.copies]
        own = next((a for a in arrivals if a.link is said.link), None)
        person, agent = self._asker(said), self._agent(said.link)
        if own is None:
            self.steps.append(
                f"# {agent}'s reply to {person.name} never reached the asking connection"
            )
            return
        latency = max(own.at - said.at, 0.0)
        within = max(self.options.min_wait, math.ceil(latency * self.options.slack * 10) / 10)
        step = (
            f"Then {person.name} gets a reply from {agent} in the same chat within {within:.1f} s"
        )
        if self.options.exact:
            step += f', reading "{escaped(own.text)}"'
        self.steps.append(step)
        shown = "(text redacted)" if self.options.redact else f'"{shorten(own.text)}"'
        self.steps.append(f"# {agent} answered in {latency:.3f} s: {shown}")
        told: set[str] = {person.name}
        for arrival in arrivals:
            if arrival.link is said.link or not usable(arrival.link):
                continue
            if (arrival.link.api_key, arrival.link.platform) != (said.link.api_key, heard.platform):
                self.steps.append(
                    f"# the recording shows this reply reaching connection {arrival.link.number} "
                    f"({arrival.link.api_key} on {arrival.link.platform!r}) too: not demanded"
                )
                continue
            for owner in self.owners.get(arrival.link.number, []):
                if owner.name not in told:
                    told.add(owner.name)
                    self.steps.append(
                        f"And {owner.name} also gets {agent}'s reply to {person.name}"
                    )

    def _isolation(self) -> None:
        connections = sum(len(p.connections) for p in self.people.values())
        if connections < 2 or not any(s.startswith("Then") for s in self.steps):
            return  # nobody else to hear it, or no positive control to judge silence by
        self.steps.append(f"Then {NOBODY_ELSE}")

    # -- writing -----------------------------------------------------------------------

    def render(self, number: int) -> list[str]:
        askers = [p for p in self.people.values() if p.asked]
        said = len(self.conversation.said)
        when = clock(self.conversation.began, "%H:%M:%S")
        counted = f"{said} message" + ("" if said == 1 else "s")
        lines = [f"  Scenario: {self._title(askers)} (recorded at {when}, #{number}, {counted})"]
        lines += [f"    {step}" for step in self._givens()]
        lines += [f"    {step}" for step in keyworded(self.steps)]
        return lines

    def _title(self, askers: list[RecordedPerson]) -> str:
        if len(askers) == 1:
            person = askers[0]
            agents = sorted({self.namer.agent(person.tenant_id, a) for a, _ in person.connections})
            return f"{person.name} of {self.namer.tenant(person.tenant_id)} talks to {and_(agents)}"
        if len({p.tenant_id for p in askers}) == 1:
            tenant = self.namer.tenant(askers[0].tenant_id)
            return f"{and_([p.name for p in askers])} of {tenant} talk to their agents"
        people = [f"{p.name} of {self.namer.tenant(p.tenant_id)}" for p in askers]
        return f"{and_(people)} talk to their agents"

    def _givens(self) -> list[str]:
        steps: list[str] = []
        agents: dict[str, list[str]] = {}
        for person in self.people.values():
            for agent_id, _ in person.connections:
                names = agents.setdefault(person.tenant_id, [])
                name = self.namer.agent(person.tenant_id, agent_id)
                if name not in names:
                    names.append(name)
        for tenant_id, names in agents.items():
            tenant = self.namer.tenant(tenant_id)
            steps.append(
                f"tenant {tenant} has an agent {names[0]}"
                if len(names) == 1
                else f"tenant {tenant} has agents {and_(names)}"
            )
        for person in self.people.values():
            tenant = self.namer.tenant(person.tenant_id)
            default = [
                self.namer.agent(person.tenant_id, a)
                for a, p in person.connections
                if p == self.platform
            ]
            others = [(a, p) for a, p in person.connections if p != self.platform]
            if default:
                steps.append(f"{person.name} of {tenant} is connected to {and_(default)}")
            for n, (agent_id, platform) in enumerate(others):
                agent = self.namer.agent(person.tenant_id, agent_id)
                if default or n:
                    steps.append(f'{person.name} is also connected to {agent} on "{platform}"')
                else:
                    steps.append(
                        f'{person.name} of {tenant} is connected to {agent} on "{platform}"'
                    )
        return [("Given " if n == 0 else "And ") + step for n, step in enumerate(steps)]
