"""The dialects of MaiMBot's servers: how their keys look, and what a reply of them
guarantees (docs/protocol.md, sections "api_server", "saas" and "upstream").

A key is something a provisioner hands out; the suite connects with it and never takes
it apart. Only two places shape keys: the dialects whose key *is* ``tenant:agent`` (the
sealed ``api_server`` branch, its v1 config API, the reference server's default), and
the scenarios about bad keys, which need a key that is well-formed for the target yet
was never handed out (:meth:`Dialect.forge_key`).

What a reply guarantees differs: on api_server (and the reference server) the reply's
sender is the agent itself, a second witness beside the reply's routing key; on saas
the sender is the bot's one global account for every tenant and agent, so only the
routing key (``message_dim.api_key`` = the connection's key) says who answered. On
upstream MaiBot 1.x (the PyPI ``maibot``, whose API Server has no tenants: a tenant is
an API client with a key from the operator's list) neither says it: there is one bot,
and a reply's routing key names whichever client spoke last on the platform, so a
reply is known by its chat alone (docs/protocol.md, "upstream").
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

TENANT_AGENT_DEFAULT_KEY = "default:default"
"""The key api_server files a connection under when its own key has no ``tenant_``
tenant: its default tenant's default agent (api_server, ``src/common/message/api.py``)."""

MMC_PREFIX = "mmc_"
MMC_VERSION = "v1"
MMC_PARTS = re.compile(r"(tenant_[0-9A-Za-z]+)_(agent_[0-9A-Za-z]+)_([0-9a-f]+)_(v\d+)")
"""The decoded body of a MaimConfig key: ``<tenant_id>_<agent_id>_<16 hex>_v1``."""


def tenant_agent_key(tenant_id: str, agent_id: str) -> str:
    """The key of the api_server dialect (and the reference server's): ``tenant:agent``."""
    return f"{tenant_id}:{agent_id}"


def split_tenant_agent_key(api_key: str) -> tuple[str, str] | None:
    """``(tenant_id, agent_id)`` of a ``tenant:agent`` key, or None for another shape."""
    tenant_id, sep, agent_id = api_key.partition(":")
    if not sep or not tenant_id or not agent_id or ":" in agent_id:
        return None
    return tenant_id, agent_id


def mmc_key(tenant_id: str, agent_id: str, secret: str = "") -> str:
    """A key shaped as MaimConfig mints them: ``mmc_`` + base64 of
    ``<tenant>_<agent>_<16 hex>_v1`` (a fresh random part unless ``secret`` is given)."""
    body = f"{tenant_id}_{agent_id}_{secret or secrets.token_hex(8)}_{MMC_VERSION}"
    return MMC_PREFIX + base64.b64encode(body.encode()).decode()


@dataclass(frozen=True)
class MmcKey:
    tenant_id: str
    agent_id: str
    secret: str
    version: str


def parse_mmc_key(api_key: str) -> MmcKey | None:
    """What a MaimConfig-shaped key names, or None when it is not one (the format check
    saas performs; whether the key was ever minted is another question)."""
    if not api_key.startswith(MMC_PREFIX):
        return None
    try:
        body = base64.b64decode(api_key[len(MMC_PREFIX) :], validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    found = MMC_PARTS.fullmatch(body)
    return MmcKey(*found.groups()) if found else None


def ids_named_by(api_key: str) -> tuple[str, str]:
    """The tenant and agent ids a key names, whichever dialect shaped it (``tenant:agent``
    or a MaimConfig ``mmc_`` key); ``("", "")`` for a key that names neither. For reading
    recorded traffic: a live scenario never takes its own keys apart."""
    minted = parse_mmc_key(api_key)
    if minted is not None:
        return minted.tenant_id, minted.agent_id
    return split_tenant_agent_key(api_key) or ("", "")


BOT_ACCOUNT_KEY = "platform_io_account_id"
"""Where an inbound message names the bot's account (``message_info.additional_config``):
upstream MaiBot cannot reply in a chat without it."""


@dataclass(frozen=True)
class Dialect:
    """What a target of this dialect does with keys and replies."""

    name: str
    """"reference", "api_server", "saas" or "upstream" (the target's ``dialect``)."""
    mints_keys: bool
    """True: a key is a secret the control plane mints (saas); False: it is only the
    tenant and agent ids (``tenant:agent``), which anyone who knows them can write."""
    sender_names_agent: bool
    """A reply's sender (``sender_info.user_info.user_id``) is the answering agent's id."""
    default_tenant_key: str = ""
    """The key of the server's default tenant and agent; empty: it has none."""
    routing_key_names_asker: bool = True
    """A reply's routing key (``message_dim.api_key``) is the key of the connection whose
    agent answers. Not on upstream: there it is the platform's last speaker's."""
    listed_keys: bool = False
    """Keys are a list the operator wrote (upstream's ``api_server_allowed_api_keys``):
    they name no tenant or agent, and any other string is a key nobody handed out."""
    agents_per_tenant: int = 0
    """How many agents a tenant can have (0: any number). Upstream's API client talks to
    the one bot: one."""

    def forge_key(self, tenant_id: str, agent_id: str) -> str:
        """A key well-formed for this target, naming these ids, that nobody handed out
        (on a ``tenant:agent`` dialect that is simply the ids: such keys are not secret;
        on a dialect of listed keys, any string not on the list)."""
        if self.listed_keys:
            return f"key-never-listed-{secrets.token_hex(6)}"
        if self.mints_keys:
            return mmc_key(tenant_id, agent_id)
        return tenant_agent_key(tenant_id, agent_id)

    def seen_sender(self, names_agent: bool) -> Dialect:
        """This dialect, as first contact found its replies' sender."""
        return replace(self, sender_names_agent=names_agent)


DIALECTS: dict[str, Dialect] = {
    "reference": Dialect("reference", False, True, TENANT_AGENT_DEFAULT_KEY),
    "api_server": Dialect("api_server", False, True, TENANT_AGENT_DEFAULT_KEY),
    "saas": Dialect("saas", True, False),
    "upstream": Dialect(
        "upstream",
        mints_keys=False,
        sender_names_agent=False,
        routing_key_names_asker=False,
        listed_keys=True,
        agents_per_tenant=1,
    ),
}
"""Every dialect by name."""


def bot_account_config(account: str) -> dict[str, str]:
    """The ``additional_config`` of a message to upstream's bot whose account is this."""
    return {BOT_ACCOUNT_KEY: account}


def bot_account_on(accounts: Mapping[str, str]) -> Callable[[str], dict[str, str]]:
    """The ``additional_config`` of a message on a platform: the bot's account there
    (upstream: every message must name it, or the bot never answers), none elsewhere."""

    def on(platform: str) -> dict[str, str]:
        account = accounts.get(platform)
        return bot_account_config(account) if account else {}

    return on
