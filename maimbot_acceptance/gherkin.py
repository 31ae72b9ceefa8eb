"""Parameter types for the step phrasings: names of tenants, agents and users.

Importing this module registers them with behave: ``{tenant:Name}`` matches one
capitalised word ("Acme"), ``{agents:Names}`` a list in English or Chinese
("Helper and Sales", "Helper, Sales and Billing", "Helper 和 Sales", "Helper、Sales").
"""

from __future__ import annotations

import re

import parse
from behave import register_type

NAME = r"[A-Z][A-Za-z0-9_-]*"


@parse.with_pattern(NAME)
def parse_name(text: str) -> str:
    return text


LIST_SEPARATOR = r", | and | 和 |、"


@parse.with_pattern(rf"{NAME}(?:(?:{LIST_SEPARATOR}){NAME})*")
def parse_names(text: str) -> list[str]:
    return re.split(LIST_SEPARATOR, text)


@parse.with_pattern(r"\d+")
def parse_count(text: str) -> int:
    return int(text)


register_type(Name=parse_name, Names=parse_names, Count=parse_count)
