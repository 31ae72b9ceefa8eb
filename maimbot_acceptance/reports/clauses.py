"""The clauses of each promise, and which scenarios check each.

A promise often says several things ("the service stays up for everyone else, *and*
the sender learns what became of it"). A run that checked only the first may not call
the whole promise held: each clause names, in a pattern, the scenarios that check it
(their titles, or their tags written ``@tag``), and the verdict says which clause no
passing scenario of the run covered. A promise without clauses here is one clause,
checked by any of its scenarios. ``tests/unit/test_clauses.py`` holds every pattern
to at least one scenario of its feature, so a renamed scenario cannot leave a clause
silently uncovered.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Clause:
    words: str
    """What the clause promises, as "<words> was not checked here" reads."""
    checked_by: str
    """A pattern searched in a scenario's title followed by its tags (``@soak``)."""

    def checked_by_scenario(self, title: str, tags: Iterable[str]) -> bool:
        said = " ".join([title, *(f"@{tag}" for tag in tags)])
        return re.search(self.checked_by, said) is not None


CLAUSES: dict[str, tuple[Clause, ...]] = {
    "Bad input does not break the service": (
        Clause(
            "the service staying up for everyone else",
            r"can still talk|and only hers|reaches no other tenant|the service goes on",
        ),
        Clause(
            "the sender learning what became of a bad message",
            r"error reply|says why it closed|says what was wrong|quotes a message|"
            r"crosses the wire unchanged|answered on the connection it came from",
        ),
    ),
    "A server that has been up for a while still takes new users": (
        Clause("new users a few seconds after the start", r"for a few seconds"),
        Clause("new users after ten minutes up", r"@soak"),
    ),
    "A chat exchange": (
        Clause(
            "an answer in a group chat",
            r"asks an agent and gets a reply|group chat|several turns|Any kind of text",
        ),
        Clause("an answer in a private chat, given privately", r"private chat"),
    ),
    "Only a tenant's own agents can connect": (
        Clause("anyone else being refused at once, told why", r"is refused at once"),
        Clause("a refused client hearing nothing of anyone's conversation", r"hears nothing"),
    ),
    "A key its tenant takes back stops working": (
        Clause("a deleted key refused", r"by deleting it is refused"),
        Clause("a disabled key refused", r"by disabling it is refused"),
        Clause("an expired key refused", r"by letting it expire is refused"),
        Clause("the key of a deleted agent refused", r"by deleting its agent is refused"),
        Clause("the key of a deleted tenant refused", r"by deleting the tenant is refused"),
    ),
    "Many conversations at once": (
        Clause("a few tenants conversing at once", r"^3 tenants"),
        Clause("a busy hour: 10 tenants with 5 agents each", r"@heavy"),
    ),
    "A dropped connection": (
        Clause("coming back and carrying on after a drop", r"comes back and carries on"),
    ),
    "An unreliable network": (
        Clause("a slow network costing no reply", r"slow network"),
        Clause(
            "what is said over a broken connection being delivered or reported",
            r"broken connection is noticed",
        ),
    ),
    "A burst of messages": (
        Clause("fifty messages at once each answered once, in order", r"Fifty messages"),
    ),
}
"""By capability (the feature's title). Only clauses a run can miss while passing
others are written out."""


def clauses_of(capability: str, sentence: str) -> tuple[Clause, ...]:
    return CLAUSES.get(capability, (Clause(sentence, r""),))
