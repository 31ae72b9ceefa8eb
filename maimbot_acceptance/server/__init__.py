"""The reference server, a deterministic stand-in for MaiMBot (see reference.py): a core
with no I/O (``policy``) under two wire adapters (``socketio_wire``, ``plain_wire``) that
the reply backend serves on one listener.

May import: ``errors``, ``wire`` (the same protocol facts and messages the suite uses).
The suite's steps never import it: they only know a server by its address.
"""

from .reference import EmbeddedServer, ReferenceServer, ServerOptions
from .reply_backend import ServerStartError

__all__ = ["EmbeddedServer", "ReferenceServer", "ServerOptions", "ServerStartError"]
