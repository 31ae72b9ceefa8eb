"""Real conversations become specs: record a deployment's traffic, turn it into a
feature, replay it (docs/recording.md).

* ``proxy``: a recording proxy between maim_message clients and a server (proxy.py),
  writing one JSON Lines journal per run (journal.py), frames decoded by framing.py;
* ``to-feature``: a journal becomes a ``.feature`` and a cast (conversation.py reads
  it, naming.py names the cast, feature.py writes the Gherkin);
* replay: the feature runs with plain ``behave``; replay.py holds its knobs.

This package leans on the rest of the harness as little as it can: the replay steps
(features/steps/replay_steps.py) use the World, and bench.py starts the reference
server with ``server.process``; nothing else is imported from outside.
"""
