"""Everything one connection received, with event-driven waits.

Each arrival is kept with its arrival time. A wait takes a PyHamcrest matcher and
a timeout and wakes when a message arrives (no polling, no sleeps). When a wait
fails, its message says what was expected, how long it waited, and lists every
message the connection received, each with the reason it did not match.

An inbox belongs to the event loop its client runs on: ``deliver`` and the waits
must be called there.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from hamcrest.core.matcher import Matcher
from hamcrest.core.string_description import StringDescription

from ..errors import NoMatchingMessage, UnexpectedMessage
from .messages import ChatMessage
from .notifier import Notifier

T = TypeVar("T")


@dataclass(frozen=True)
class Arrival:
    """One received message and when it came (``time.monotonic()``)."""

    seq: int
    at: float
    message: ChatMessage


class Inbox:
    def __init__(self, owner: str) -> None:
        self.owner = owner
        self.opened_at = time.monotonic()
        self._arrivals: list[Arrival] = []
        self._forgotten = 0  # arrivals dropped by forget(); seq numbers keep counting
        self._changes = Notifier()

    # -- filling -----------------------------------------------------------------

    def deliver(self, message: ChatMessage) -> Arrival:
        arrival = Arrival(self.mark(), time.monotonic(), message)
        self._arrivals.append(arrival)
        self._changes.notify()
        return arrival

    # -- reading -----------------------------------------------------------------

    @property
    def arrivals(self) -> tuple[Arrival, ...]:
        return tuple(self._arrivals)

    def mark(self) -> int:
        """A position: waits ``since`` it look only at later arrivals."""
        return self._forgotten + len(self._arrivals)

    def since(self, mark: int) -> list[Arrival]:
        """Arrivals from ``mark`` on (those still kept)."""
        return self._arrivals[max(mark - self._forgotten, 0) :]

    def matching(self, matcher: Matcher[ChatMessage], since: int = 0) -> list[Arrival]:
        return [a for a in self.since(since) if matcher.matches(a.message)]

    def forget(self, before: int) -> None:
        """Drop arrivals before mark ``before`` (a long load run must not keep them all)."""
        drop = min(max(before - self._forgotten, 0), len(self._arrivals))
        del self._arrivals[:drop]
        self._forgotten += drop

    # -- waiting -----------------------------------------------------------------

    async def wait_for(
        self,
        matcher: Matcher[ChatMessage],
        timeout: float,
        *,
        since: int = 0,
        context: str = "",
    ) -> Arrival:
        """The first arrival after ``since`` that matches; fail after ``timeout`` s."""
        return (await self.wait_for_count(matcher, 1, timeout, since=since, context=context))[0]

    async def first_arrival(self, timeout: float, *, since: int = 0) -> Arrival | None:
        """Whatever arrives first after ``since``, or None after ``timeout`` s."""

        def anything() -> Arrival | None:
            fresh = self.since(since)
            return fresh[0] if fresh else None

        return await self._until(anything, timeout)

    async def wait_for_count(
        self,
        matcher: Matcher[ChatMessage],
        count: int,
        timeout: float,
        *,
        since: int = 0,
        context: str = "",
    ) -> list[Arrival]:
        """The first ``count`` matching arrivals after ``since``; fail after ``timeout`` s."""
        started = time.monotonic()

        def enough() -> list[Arrival] | None:
            found = self.matching(matcher, since)
            return found[:count] if len(found) >= count else None

        found = await self._until(enough, timeout)
        if found is None:
            waited = time.monotonic() - started
            got = len(self.matching(matcher, since))
            if count == 1:
                verdict = f"no expected message within {timeout:.2f} s (waited {waited:.2f} s)"
            else:
                verdict = f"{got} of {count} expected messages within {timeout:.2f} s"
            raise NoMatchingMessage(self._explain(verdict, "a message", matcher, context, since))
        return found

    async def expect_nothing(
        self,
        matcher: Matcher[ChatMessage],
        window: float,
        *,
        since: int = 0,
        context: str = "",
    ) -> None:
        """Fail as soon as a matching message arrives after ``since``; pass after ``window`` s."""
        started = time.monotonic()

        def offender() -> Arrival | None:
            found = self.matching(matcher, since)
            return found[0] if found else None

        arrival = await self._until(offender, window)
        if arrival is not None:
            window_text = f"a {window:.2f} s window where none was allowed"
            if arrival.at < started:
                verdict = f"message #{arrival.seq + 1} had already arrived when {window_text} began"
            else:
                verdict = (
                    f"message #{arrival.seq + 1} arrived {arrival.at - started:.3f} s into "
                    f"{window_text}"
                )
            raise UnexpectedMessage(self._explain(verdict, "NO message", matcher, context, since))

    async def _until(self, predicate: Callable[[], T | None], timeout: float) -> T | None:
        """Re-evaluate ``predicate`` on each arrival until it gives a value or time is up."""
        return await self._changes.wait_for(predicate, timeout)

    # -- explaining --------------------------------------------------------------

    def _explain(
        self, verdict: str, what: str, matcher: Matcher[ChatMessage], context: str, since: int
    ) -> str:
        expected = StringDescription()
        expected.append_description_of(matcher)
        lines = [f"{self.owner}: {verdict}", f"  expected {what} that is:"]
        lines += [f"    {line}" for line in str(expected).splitlines()]
        if context:
            lines.append(f"  {context}")
        lines.append(self.transcript(matcher, since))
        return "\n".join(lines)

    def transcript(self, matcher: Matcher[ChatMessage] | None = None, since: int = 0) -> str:
        """Every message received, numbered, timed from connecting, with mismatch reasons."""
        if not self._arrivals:
            if self._forgotten:
                return f"  This connection received {self._forgotten} messages, all forgotten."
            return "  This connection received nothing at all."
        if self._forgotten:
            lines = [
                f"  Everything this connection received ({self.mark()}), "
                f"less the first {self._forgotten} (forgotten):"
            ]
        else:
            lines = [f"  Everything this connection received ({len(self._arrivals)}):"]
        for arrival in self._arrivals:
            marker = " " if arrival.seq >= since else "."
            offset = f"+{arrival.at - self.opened_at:.3f} s"
            lines.append(
                f"   {marker}{arrival.seq + 1:>3}  {offset:>10}  {arrival.message.describe()}"
            )
            if matcher is not None and not matcher.matches(arrival.message):
                why = StringDescription()
                matcher.describe_mismatch(arrival.message, why)
                lines.append(f"{'':19}not a match: {why}")
        if since:
            lines.append(
                "  (messages marked '.' came before the awaited exchange and were not considered)"
            )
        return "\n".join(lines)
