"""MaiMBot chat load for Locust: hundreds of tenants at once, isolation checked under load.

Every Locust user is a tenant of its own with an agent of its own (created through
the config API), or, with --cast, takes one of a deployment's existing agents in
turn; it holds one connection made with the suite's TenantMessageClient,
and asks its agent question after question, waiting for each reply on its own
connection. Each exchange is one Locust request ("chat", "question -> reply"):
its response time runs from the send to the reply's arrival, and it fails as

* "cross-tenant delivery" when anything for another tenant or agent arrived on
  the user's connection,
* "no reply within N s" when the reply did not come within --reply-timeout,
* "duplicate reply" when more replies came than questions were asked,
* "send failed" when the connection had closed.

Provisioning and connecting are requests too ("config", "provision tenant and
agent"; "ws", "connect"). The mechanics live in ``maimbot_acceptance.tools.load``;
see docs/load-and-bench.md for the commands and knobs.
"""

from __future__ import annotations

import sys
from typing import Any

from locust import User, events, task
from locust.env import Environment
from locust.exception import StopUser
from locust.runners import WorkerRunner

from maimbot_acceptance.errors import SettingsError
from maimbot_acceptance.tools.load.locust_shared import LoadProcess
from maimbot_acceptance.tools.load.options import LoadOptions, add_arguments
from maimbot_acceptance.tools.load.session import TimedRequest
from maimbot_acceptance.wire.logs import tame_library_logging

PROVISIONING_TIMEOUT = 10.0
"""Seconds the config API may take for a tenant and an agent (its client's own bound)."""


@events.init_command_line_parser.add_listener
def add_chat_load_arguments(parser: Any) -> None:
    add_arguments(parser, env_prefix="LOCUST_")


@events.init.add_listener
def check_options(environment: Environment, **_: Any) -> None:
    tame_library_logging("WARNING")
    if isinstance(environment.runner, WorkerRunner):
        return  # a worker gets the master's options with its first spawn message
    try:
        LoadOptions.from_namespace(environment.parsed_options)
    except SettingsError as error:
        sys.stderr.write(f"error: {error}\n")
        sys.exit(2)


@events.quitting.add_listener
def close_connections(environment: Environment, **_: Any) -> None:
    LoadProcess.shut_down_this_process()


class TenantChatUser(User):
    """A chat user asking its agent, and checking whom every reply it receives is for."""

    def wait_time(self) -> float:
        return self.load.options.think_time

    def on_start(self) -> None:
        options = LoadOptions.from_namespace(self.environment.parsed_options)
        self.load = LoadProcess.of_this_process(options)
        self.session = self.load.new_session()
        provisioned = self.load.attempt(self.session.provision(), PROVISIONING_TIMEOUT)
        self.report("config", "provision tenant and agent", provisioned)
        connected = self.load.attempt(self.session.connect(), options.connect_timeout)
        self.report("ws", "connect", connected)

    @task
    def ask_and_await_the_reply(self) -> None:
        answered = self.load.attempt(self.session.exchange(), self.load.options.reply_timeout)
        self.report("chat", "question -> reply", answered)

    def on_stop(self) -> None:
        session = getattr(self, "session", None)
        if session is not None:
            self.load.close_soon(session)

    def report(self, request_type: str, name: str, attempt: TimedRequest) -> None:
        """One Locust request; a failure stops the user if it could not even start."""
        failure = attempt.failure
        self.environment.events.request.fire(
            request_type=request_type,
            name=name,
            response_time=attempt.milliseconds,
            response_length=attempt.length,
            # Locust groups failures by their text: the stable kind, not the detail.
            exception=str(failure) if failure is not None else None,
            context={"user": self.session.label},
        )
        if failure is not None:
            self.load.failures.note(failure)
            if request_type != "chat":
                raise StopUser()
