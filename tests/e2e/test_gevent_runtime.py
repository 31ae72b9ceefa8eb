"""The client loop under gevent's monkey-patching, as in a Locust process.

pytest's own process must stay unpatched, so the patched side runs in a child
process: many greenlets share one LoadProcess (one real thread, one asyncio
loop) and converse with a reference server in another process, reaching it by
host name (resolved on real threads, not gevent's).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from maimbot_acceptance.server.process import server_process

PATCHED_USERS = textwrap.dedent(
    """
    from gevent import monkey

    monkey.patch_all()

    import asyncio, json, sys
    import gevent
    from maimbot_acceptance.tools.load.options import LoadOptions
    from maimbot_acceptance.tools.load.locust_shared import LoadProcess

    server_url, config_url = sys.argv[1:3]
    options = LoadOptions(server_url=server_url, config_url=config_url)
    load = LoadProcess.of_this_process(options)
    kinds = []

    def user():
        session = load.new_session()
        for step in (session.provision, session.connect):
            kinds.append(str(load.run(step(), 5).failure))
        for _ in range(25):
            kinds.append(str(load.run(session.exchange(), 5).failure))
        load.close_soon(session)

    gevent.joinall([gevent.spawn(user) for _ in range(40)], timeout=60)

    cancelled = []

    async def hang():
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            cancelled.append(True)
            raise

    waiter = gevent.spawn(load.run, hang(), 30)
    gevent.sleep(0.2)
    waiter.kill()  # as Locust kills a user in the middle of a wait
    load.run(asyncio.sleep(0.1), 5)

    loop_thread = load._loop
    LoadProcess.shut_down_this_process()
    print(json.dumps({
        "kinds": sorted(set(kinds)), "count": len(kinds),
        "cancelled": cancelled, "loop_alive": loop_thread.is_alive,
    }))
    """
)


def test_greenlets_share_one_client_loop_under_monkey_patching():
    with server_process() as server:
        assert server.config_url
        local_url = server.server_url.replace("127.0.0.1", "localhost")
        done = subprocess.run(
            [sys.executable, "-c", PATCHED_USERS, local_url, server.config_url],
            capture_output=True,
            text=True,
            timeout=90,
        )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {
        "kinds": ["None"],  # every provisioning, connect and exchange succeeded
        "count": 40 * 27,
        "cancelled": [True],
        "loop_alive": False,
    }, done.stderr
