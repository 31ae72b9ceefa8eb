"""behave's pretty formatter, printing each feature's heading once.

behave 1.3.3's ``PrettyFormatter.background`` replays the statement in hand, which at
a Background is still the feature: every feature with a Background printed its
heading twice. Registered in behave.ini under behave's own name, ``pretty``.
"""

from __future__ import annotations

from typing import Any

from behave.formatter.pretty import PrettyFormatter


class OneHeadingPrettyFormatter(PrettyFormatter):  # type: ignore[misc]
    statement: Any
    current_feature: Any

    def background(self, background: Any) -> None:
        if self.statement is self.current_feature:
            self.statement = None  # (its heading is printed already, by feature())
        super().background(background)
