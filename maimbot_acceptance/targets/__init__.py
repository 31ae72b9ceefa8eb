"""The target: which server a run is aimed at, and how its tenants and agents come to be.

The knobs (``settings``), the run's long-lived resources (``fixtures``: loop, server
under test, provisioner), tenants and agents (``provisioning``), and which scenarios
apply to the target (``applicability``, ``known_gaps``).

May import: ``errors``, ``wire``, ``server`` (to start the embedded reference server).
"""
