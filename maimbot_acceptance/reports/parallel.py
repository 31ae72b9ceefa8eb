"""A behavex run ends as a sequential one does: one first page, one console summary,
one set of JUnit properties, one exit rule, merged across its behave processes.

behavex calls ``before_all_workers`` and ``after_all_workers`` (features/environment.py)
in its own process, and hands what the first sets on its context to every behave
process's context. Each behave process keeps its run record there (``run_record``);
the last hook merges them (``run_report.conclude_parallel``).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

from .run_report import conclude_parallel

RECORDS = "promises-records"


class NotGreen(Exception):
    """The merged run may not end green; behavex exits 1 on a failed hook."""


def start_parallel_records() -> Path:
    """A fresh directory for this run's records, in behavex's output directory."""
    records = Path(os.environ.get("OUTPUT", "output")).resolve() / RECORDS
    shutil.rmtree(records, ignore_errors=True)
    records.mkdir(parents=True)
    return records


def parallel_records(context: Any) -> Path | None:
    """Where this behave process keeps its record; None when behave runs alone."""
    kept = getattr(context, "run_records", None)
    return Path(kept) if kept else None


def finish_parallel_run(records: Path) -> None:
    line = conclude_parallel(records, records.parent)
    if line is not None:
        print(line, file=sys.stderr, flush=True)
        raise NotGreen("the run is not green: see the line above")
