"""Why a load request failed, named so that a failure table stays readable.

Locust groups failures by their text, so each failure's text is its *kind*
("cross-tenant delivery"), the same for every user; what differs (which
connection, which message) is the failure's ``detail``, which goes to the log
(the first few of each kind per process, see :class:`FailureLog`).
"""

from __future__ import annotations

import logging
from collections import Counter

from ...errors import ConnectRefused, ConnectTimedOut, NothingListening, ProvisioningError

log = logging.getLogger(__name__)


class LoadFailure(AssertionError):
    """A failed request: ``kind`` names it (stable), ``detail`` explains this one."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(kind)
        self.kind = kind
        self.detail = detail

    def __str__(self) -> str:
        return self.kind


CROSS_TENANT_DELIVERY = "cross-tenant delivery"
"""A message for another tenant or agent arrived on a user's connection."""

DUPLICATE_REPLY = "duplicate reply"
"""More replies arrived than questions were asked (a reply that came after its
question had timed out is late, not a duplicate: it was already counted)."""

SEND_FAILED = "send failed"
"""The connection was no longer open when the user asked."""


def no_reply(timeout: float) -> str:
    return f"no reply within {timeout:g} s"


def cross_tenant_delivery(detail: str) -> LoadFailure:
    return LoadFailure(CROSS_TENANT_DELIVERY, detail)


def duplicate_reply(detail: str) -> LoadFailure:
    return LoadFailure(DUPLICATE_REPLY, detail)


def send_failed(detail: str) -> LoadFailure:
    return LoadFailure(SEND_FAILED, detail)


def missing_reply(timeout: float, detail: str) -> LoadFailure:
    return LoadFailure(no_reply(timeout), detail)


def setup_failure(error: Exception) -> LoadFailure:
    """A provisioning or connecting error as a failure of a stable kind."""
    kinds: list[tuple[type[Exception], str]] = [
        (ConnectRefused, "connection refused by the server"),
        (NothingListening, "nothing listening at server_url"),
        (ConnectTimedOut, "connect timed out"),
        (ProvisioningError, "provisioning failed"),
        (TimeoutError, "timed out"),
    ]
    for error_type, kind in kinds:
        if isinstance(error, error_type):
            return LoadFailure(kind, str(error))
    return LoadFailure(f"unexpected {type(error).__name__}", str(error))


class FailureLog:
    """Logs the first few failures of each kind with their detail, then only counts."""

    def __init__(self, detailed_per_kind: int = 3) -> None:
        self.counts: Counter[str] = Counter()
        self._detailed = detailed_per_kind

    def note(self, failure: LoadFailure) -> None:
        self.counts[failure.kind] += 1
        seen = self.counts[failure.kind]
        if seen <= self._detailed:
            more = " (further ones are only counted)" if seen == self._detailed else ""
            log.warning("%s #%d%s: %s", failure.kind, seen, more, failure.detail)
