"""Reports: what a run shows its readers.

The product owner's first page of promises and verdicts (``run_report``, ``promises``,
``summary``, ``front_page``, ``html_report``, ``figures``, ``specs``), what each step
attaches to the HTML report (``reporting``), and JUnit's skip reasons (``junit``).

May import: ``errors``, ``wire``, ``judging``, ``targets``, ``scenario``.
"""
