"""Parameter types for the step phrasings: names of tenants, agents and users.

Importing this module registers them with behave: ``{tenant:Name}`` matches one
capitalised word ("Acme"), ``{agents:Names}`` a list ("Helper and Sales",
"Helper, Sales and Billing").
"""

from __future__ import annotations

import re

import parse
from behave import register_type

NAME = r"[A-Z][A-Za-z0-9_-]*"


@parse.with_pattern(NAME)
def parse_name(text: str) -> str:
    return text


@parse.with_pattern(rf"{NAME}(?:(?:, | and ){NAME})*")
def parse_names(text: str) -> list[str]:
    return re.split(r", | and ", text)


@parse.with_pattern(r"\d+")
def parse_count(text: str) -> int:
    return int(text)


register_type(Name=parse_name, Names=parse_names, Count=parse_count)
