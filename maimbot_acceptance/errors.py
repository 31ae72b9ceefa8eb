"""What can go wrong, each said in one line that names the culprit.

Failures about the server's behaviour are ``AssertionError`` subclasses, so behave
reports them as failed scenarios; mistakes in the suite's own set-up, in a
scenario's wording or in the harness are not (behave reports them as errors).
"""

from __future__ import annotations


class ConnectFailed(AssertionError):
    """A connection could not be opened; the subclass says why."""


class NothingListening(ConnectFailed):
    """No server accepts TCP connections at the address (or the host is unknown)."""


class ConnectTimedOut(ConnectFailed):
    """The server neither accepted nor refused within the connect timeout."""


class ConnectRefused(ConnectFailed):
    """The server answered, then refused this client (api key, connection id, ...)."""


class SendFailed(AssertionError):
    """A message could not be handed to the server (the connection is not open)."""


class NoMatchingMessage(AssertionError):
    """A wait ended without the expected message; the text lists what did arrive."""


class NoConnectionEvent(AssertionError):
    """A connection did not see the expected event (a close, an error) in time."""


class UnexpectedMessage(AssertionError):
    """A message arrived that must not have; the text shows it."""


class ScenarioError(RuntimeError):
    """A scenario uses a step its earlier steps did not set up (it asks before anyone
    connected, checks silence without a positive control, ...): a mistake in the
    spec, not a failure of the server, so behave reports it as an error."""


class SettingsError(ValueError):
    """A userdata knob has a value the suite cannot use."""


class ProvisioningError(RuntimeError):
    """The config API could not provide a tenant or agent (or a name is unknown)."""


class CastError(SettingsError):
    """The cast file (``-D cast``) cannot be used; the text names the file and the entry."""


class NotApplicable(Exception):
    """The target cannot stage this scenario (e.g. the cast names no such tenant).

    Not a failure of the server: the scenario is skipped with this text as the reason.
    """


class ConnectionLost(AssertionError):
    """A connection closed while it had to stay open; the text says when and why."""
