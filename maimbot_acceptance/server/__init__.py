"""The reference server, a deterministic stand-in for MaiMBot (see reference.py)."""

from .reference import EmbeddedServer, ReferenceServer, ServerOptions
from .reply_backend import ServerStartError

__all__ = ["EmbeddedServer", "ReferenceServer", "ServerOptions", "ServerStartError"]
