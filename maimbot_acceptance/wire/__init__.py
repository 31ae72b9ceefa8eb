"""The wire: how the suite talks to a server, and the facts both sides share.

The connection (``client``: a thin owner of the link's core, ``link``, with no I/O, and
of one wire adapter, ``socketio_wire`` or ``plain_wire``), what it received (``inbox``),
the background loop that
keeps connections alive between steps (``loop``), the protocol's facts and messages,
a cast of existing ids, a TCP proxy to disturb a link, and the one round-trip timer
of the benchmarks (``round_trip``, with maim_message's bare client as the yardstick).

May import: ``errors`` only. Everything else in the harness stands on this.
"""
