"""Run the chat load headless against a reference server started on its own.

    python -m maimbot_acceptance.tools.load -u 200 -r 100 -t 30s --processes 2

starts the reference server (``python -m maimbot_acceptance.server``) on free
loopback ports, runs Locust headless with ``locustfile.py`` against it
(master and workers bound to loopback), prints Locust's statistics, writes its
CSV files (``--csv``, default ``reports/load``), stops the server, and exits
with Locust's exit code (1 when any request failed). Every other option is
Locust's, or a knob of the locustfile (``--reply-timeout``, ``--think-time``, ...).
Ctrl-C ends the run early, with its statistics; nothing is left running.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ...errors import SettingsError
from ...server.faults import FAULTS
from ...server.process import server_process
from ...wire.cast import load_cast
from .children import Interrupts, free_port, run_to_the_end

LOCUSTFILE = Path(__file__).resolve().parents[3] / "locustfile.py"


def parse_args(argv: list[str] | None) -> tuple[argparse.Namespace, list[str]]:
    parser = argparse.ArgumentParser(
        prog="python -m maimbot_acceptance.tools.load",
        description=__doc__.split("\n\n")[0] if __doc__ else None,
        epilog="Any other option goes to Locust: see `locust --help` and docs/load-and-bench.md.",
    )
    parser.add_argument(
        "--fault",
        default="",
        choices=["", *sorted(FAULTS)],
        metavar="NAME",
        help=f"start the reference server with a named fault: {', '.join(sorted(FAULTS))}",
    )
    parser.add_argument(
        "--cast",
        default="",
        metavar="FILE",
        help="seed the reference server with this cast (no config API); users take its agents",
    )
    parser.add_argument(
        "--locustfile", type=Path, default=LOCUSTFILE, help=f"default: {LOCUSTFILE}"
    )
    return parser.parse_known_args(argv)


def locust_command(
    locustfile: Path, server_url: str, config_url: str, locust_args: list[str], cast: str = ""
) -> list[str]:
    master_port = str(free_port())
    command = [sys.executable, "-m", "locust", "-f", str(locustfile), "--headless"]
    # --processes makes a master and workers; keep them on loopback, on a free port.
    command += ["--master-bind-host", "127.0.0.1", "--master-host", "127.0.0.1"]
    command += ["--master-bind-port", master_port, "--master-port", master_port]
    command += ["--server-url", server_url]
    command += ["--cast", cast] if cast else ["--config-url", config_url]
    if not any(arg == "--csv" or arg.startswith("--csv=") for arg in locust_args):
        command += ["--csv", "reports/load"]
    return command + locust_args


def reference_server_args(fault: str = "", cast: str = "") -> list[str]:
    """The reference server of a load run: seeded from the cast (then without a config
    API), with the fault asked for, logging only errors (maim_message warns about
    every connection that closes first on its own side)."""
    args = ["--log-level", "ERROR"]
    if cast:
        args += ["--cast", cast, "--no-config-api"]
    if fault:
        args += ["--fault", fault]
    return args


def main(argv: list[str] | None = None) -> int:
    args, locust_args = parse_args(argv)
    if not args.locustfile.is_file():
        print(f"error: no locustfile at {args.locustfile} (--locustfile)", file=sys.stderr)
        return 2
    try:
        if args.cast:
            load_cast(args.cast)  # a broken cast fails here, in one line
        with (
            Interrupts() as interrupts,
            server_process(
                *reference_server_args(args.fault, args.cast), lifetime=None, log=sys.stderr
            ) as server,
        ):
            fault = f" with fault {args.fault}" if args.fault else ""
            tenants = f"cast {args.cast}" if args.cast else f"config API {server.config_url}"
            print(f"reference server{fault}: {server.server_url} ({tenants})", flush=True)
            config_url = server.config_url or ""
            command = locust_command(
                args.locustfile, server.server_url, config_url, locust_args, args.cast
            )
            return run_to_the_end(command, interrupts)
    except SettingsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
