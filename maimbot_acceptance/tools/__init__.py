"""Tools beside the suite: the benchmark (``bench``) and the chat load (``load``).

May import: ``errors``, ``wire``, ``judging``, ``targets``, ``server``; never ``scenario``
or ``reports`` (the tools drive connections themselves, without behave).
"""
