"""Tools beside the suite: the benchmark (``bench``), the chat load (``load``), and the
command that measures all of them and writes docs/figures.md (``figures_page``).

May import: ``errors``, ``wire``, ``judging``, ``targets``, ``server``; never ``scenario``
or ``reports`` (the tools drive connections themselves, without behave).
"""
