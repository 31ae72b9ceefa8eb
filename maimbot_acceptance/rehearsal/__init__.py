"""The rehearsal: a real MaiMBot stack brought up on loopback from git dirs the user
names (api_server in its three modes, or saas with the real MaimConfig and maim_db),
its model behind the suite's LLM tap, the portable features run against it, and the
run held to the outcome table (``docs/rehearsal.md``).

May import: ``errors``. Its children are started as commands (the suite's behave, the
tap, MaiMBot's own interpreter running ``maimbot_side.py``), never imported.
"""
