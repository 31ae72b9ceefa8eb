"""The LLM tap: a stand-in model endpoint that records every prompt an agent sends.

It sits between a server's agents and their model: the reference server's agents send
it their prompts in the default run; a staging MaiMBot's model providers point at it
(docs/llm-tap.md). Imports ``wire``, ``judging`` (its benchmark's figures) and
``server`` (its process launcher); the reference server knows only a model's URL.
"""

from .answers import ANSWERERS, Answerer
from .embedded import EmbeddedTap, base_url
from .reader import TapReader
from .records import TapRecord
from .tap import LlmTap, TapOptions, TapStartError

__all__ = [
    "ANSWERERS",
    "Answerer",
    "EmbeddedTap",
    "LlmTap",
    "TapOptions",
    "TapReader",
    "TapRecord",
    "TapStartError",
    "base_url",
]
