"""Judging: what counts as right, as pure functions and matchers.

PyHamcrest matchers for chat messages (``matchers``), the pure rules of a scenario
(``rules``: silence, quotes, misdelivery), figures (``stats``), and what became of a
message sent while a connection was down (``outage``).

May import: ``errors``, ``wire``.
"""
