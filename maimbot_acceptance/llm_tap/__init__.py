"""The LLM tap: a stand-in model endpoint that records every prompt an agent sends.

It sits between a server's agents and their model: the reference server's agents send
it their prompts in the default run; a staging MaiMBot's model providers point at it
(docs/llm-tap.md). Imports only ``wire`` (and ``judging`` for its benchmark's figures).
"""

from .answers import ANSWERERS, Answerer
from .reader import TapReader
from .records import TapRecord
from .tap import LlmTap, TapOptions, TapStartError

__all__ = [
    "ANSWERERS",
    "Answerer",
    "LlmTap",
    "TapOptions",
    "TapReader",
    "TapRecord",
    "TapStartError",
]
