"""A recording becomes a feature and a cast: each conversation a scenario.

Inside a scenario, in the recording's order:

* Given: the tenants and agents talked to, and who was connected to which;
* When: each message a user sent (``When Alice asks Helper "..."``), preceded, where
  the recording paused, by a pause the replay keeps at the recorded pace;
* Then: each reply, portably: from that agent, in that chat, within the recorded
  latency times ``slack`` (never below ``min_wait``); the reply text only as a
  comment (LLM wording varies), or demanded word for word with ``exact``;
  every other connection the reply reached in the recording gets it again;
* at the end, the isolation the recording shows: nobody in the scenario receives
  anything but what their own agent answered.

A user who asks the same agent again before its reply came is made to wait for that
reply first: a step speaks of the user's latest question.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..wire.cast import load_cast
from .gherkin_text import clock, wrapped
from .naming import Namer
from .recording import Recording, read_recording
from .scenario_writer import Options, RecordedScenario, usable

__all__ = ["Options", "Written", "render", "write_feature"]


@dataclass(frozen=True)
class Written:
    feature: Path
    cast: Path
    summary: str


def write_feature(journal: Path, out_dir: Path, stem: str, options: Options) -> Written:
    recording = read_recording(journal, options.gap)
    feature_text, cast_text, summary = render(recording, options, stem)
    out_dir.mkdir(parents=True, exist_ok=True)
    feature, cast = out_dir / f"{stem}.feature", out_dir / f"{stem}.cast.toml"
    feature.write_text(feature_text, encoding="utf-8")
    cast.write_text(cast_text, encoding="utf-8")
    load_cast(cast)  # what we wrote must be a cast the suite accepts
    return Written(feature, cast, summary)


def render(recording: Recording, options: Options, stem: str = "recording") -> tuple[str, str, str]:
    """The feature's text, the cast's text, and a one-line summary."""
    namer = Namer(redact=options.redact)
    platforms = Counter(link.platform for link in recording.links if usable(link))
    platform = platforms.most_common(1)[0][0] if platforms else "test"
    scenarios, left_out = [], 0
    for number, conversation in enumerate(recording.conversations, start=1):
        writer = RecordedScenario(conversation, namer, options, platform)
        left_out += writer.left_out
        if writer.has_steps:
            scenarios.append(writer.render(number))
    lines = _header(recording, stem, left_out)
    for scenario in scenarios:
        lines += ["", *scenario]
    said = sum(len(c.said) for c in recording.conversations)
    plural = "" if len(scenarios) == 1 else "s"
    summary = f"{len(scenarios)} scenario{plural} from {said} messages"
    return "\n".join(lines) + "\n", _cast(namer, platform, recording, stem), summary


def _header(recording: Recording, stem: str, left_out: int) -> list[str]:
    times = [s.at for c in recording.conversations for s in c.said]
    when = (
        f"{clock(min(times), '%Y-%m-%d %H:%M:%S')} to {clock(max(times), '%H:%M:%S')}"
        if times
        else "(no messages)"
    )
    about = (
        f"Recorded {when} by the recording proxy ({recording.path.name}). Each message a "
        "user sent is asked again; each reply must come again from the agent that gave it, "
        "in the chat it answered, in time; and nobody hears what the recording shows they "
        "never heard. Reply texts are comments only: an agent's wording may vary."
    )
    replay = (
        f"Replay: behave -D cast={stem}.cast.toml {stem}.feature (add -D replay_pace=fast "
        "to go as fast as the server answers; see docs/recording.md)."
    )
    lines = ["@recorded", f"Feature: Conversations recorded on {recording.server or 'a server'}"]
    lines += wrapped(about)
    lines += ["", *wrapped(replay)]
    notes = []
    if left_out:
        notes.append(f"{left_out} messages on connections whose key names no tenant:agent")
    if recording.unmatched:
        notes.append(f"{recording.unmatched} replies that answer no recorded message")
    if recording.garbage or recording.refused:
        notes.append(f"{recording.garbage} garbage frames, {recording.refused} refused connections")
    if notes:
        lines += ["", *wrapped("Left out of the scenarios: " + "; ".join(notes) + ".")]
    return lines


def _cast(namer: Namer, platform: str, recording: Recording, stem: str) -> str:
    lines = [
        f"# The cast of {stem}.feature: the recorded tenants and agents, by the names the",
        "# feature gives them (cast.example.toml). Replay against the embedded reference",
        f"# server: behave -D cast={stem}.cast.toml {stem}.feature; against the deployment",
        "# recorded: add -D server_url=ws://host:8095/ws.",
        f'platform = "{platform}"',
    ]
    for tenant_id, tenant in namer.tenants.items():
        agents = namer.agents.get(tenant_id)
        if agents is None or not agents.items():
            continue
        lines += [
            "",
            f"[tenants.{tenant}]",
            f'id = "{tenant_id}"',
            "",
            f"[tenants.{tenant}.agents]",
        ]
        lines += [f'{name} = "{agent_id}"' for agent_id, name in agents.items()]
    return "\n".join(lines) + "\n"
