"""The harness of the MaiMBot acceptance suite: the Python that behave's steps call.

Packages, from the ground up (each may import only those below it; a test holds it):

* ``errors``: what can go wrong, in one line each (imports nothing);
* ``wire``: the client, its inbox, the loop, the protocol's facts;
* ``judging``: matchers and the pure rules (silence, quotes, misdelivery), figures;
* ``server``: the reference server, a deterministic stand-in for MaiMBot;
* ``targets``: settings, provisioning, which scenarios apply to the server aimed at;
* ``scenario``: one scenario's world, in parts that each keep their own memory;
* ``reports``: what a scenario and the run show their readers (the promises first);
* ``tools``: the benchmark and the chat load (beside the suite, not under behave);
* ``record``: real conversations become specs: the recording proxy, a recording turned
  into a feature and a cast, the knobs of its replay.
"""
