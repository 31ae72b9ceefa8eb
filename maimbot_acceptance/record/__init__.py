"""Real conversations become specs: record a deployment's traffic, turn it into a
feature, replay it (docs/recording.md).

* ``proxy``: a recording proxy between maim_message clients and a server (proxy.py),
  reading a copy of the bytes (relay.py per connection; byte_stream.py: HTTP, then
  WebSocket; framing.py: engine.io and Socket.IO) into one JSON Lines journal per run
  (journal.py, proxy_session.py);
* ``to-feature``: a journal becomes a ``.feature`` and a cast (recording.py reads it,
  naming.py names the cast, scenario_writer.py writes each conversation's steps,
  gherkin_text.py their quoting and wrapping, feature.py the whole file);
* replay: the feature runs with plain ``behave``; replay.py holds its knobs and names
  the leaks it meets; ``bench``: what recording costs (proxy_bench.py).

Coupling to the rest of the harness, kept to these imports:
recording.py reads packages with ``wire.messages`` (ChatMessage); scenario_writer.py
uses ``wire.cast`` (TENANT_ID, AGENT_ID) and feature.py its load_cast; proxy_bench.py
uses ``server.process.server_process``, ``wire.round_trip`` and ``judging.stats``;
features/steps/replay_steps.py uses the World's parts
(``conversation.await_reply(timeout=...)``, ``delivery``), ``errors``, ``judging`` and
``wire.messages``. It may import errors, wire, judging and server
(tests/unit/test_architecture.py).
"""
