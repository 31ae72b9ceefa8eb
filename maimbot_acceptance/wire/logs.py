"""Keep the libraries' logs out of the suite's output.

maim_message 0.7.5 gives its logger its own stderr handler at INFO, with
propagation off, whatever the configured ``log_level`` says. Here its records
(and those of its transport) are sent to the root logger instead, at a chosen
level, where behave's log capture keeps them and shows them with a failure.
"""

from __future__ import annotations

import logging

LIBRARY_LOGGERS = (
    "maim_message",
    "socketio",
    "engineio",
    "aiohttp",
    "asyncio",
    # Each Socket.IO / Engine.IO client and server adds a stderr handler of its own
    # to these unless they already have a level: give them one.
    "socketio.client",
    "socketio.server",
    "engineio.client",
    "engineio.server",
)
"""Loggers of maim_message and the transport under it."""

TRANSPORT_CLIENT_LOGGERS = ("socketio.client", "engineio.client")


def tame_library_logging(level: str = "WARNING") -> None:
    """Route library loggers to the root logger at ``level``; drop their own handlers."""
    # Importing the driver module makes maim_message create its stderr handler;
    # do that first so the handler exists when we remove it.
    import maim_message.server_socketio_driver  # noqa: F401

    level = level.upper()  # "debug" is a level too (logging itself takes upper case only)
    for name in LIBRARY_LOGGERS:
        logger = logging.getLogger(name)
        for handler in list(logger.handlers):
            logger.removeHandler(handler)
        logger.propagate = True
        logger.setLevel(level)
    # The transport clients warn about every connection that ends ("Server sent 257
    # packet data None, aborting"); the harness reports those itself, with reasons.
    # Their warnings are only shown when asked for in detail (INFO or DEBUG).
    quiet = max(logging.getLevelName(level), logging.ERROR)
    for name in TRANSPORT_CLIENT_LOGGERS:
        if logging.getLevelName(level) >= logging.WARNING:
            logging.getLogger(name).setLevel(quiet)


def library_logger(role: str) -> logging.Logger:
    """The logger to hand to maim_message as ``custom_logger`` (a child of its own)."""
    return logging.getLogger(f"maim_message.{role}")
