"""The chat load: many tenants at once, isolation checked under load (docs/load-and-bench.md).

* ``session``: one load user's conversation and how each exchange is judged;
* ``failures``: the stable names of failed requests;
* ``options``: the knobs, shared by Locust and the plain asyncio driver;
* ``gevent_runtime`` and ``locust_shared``: the client loop in a gevent-patched Locust
  process, and what one Locust process shares among its users;
* ``children`` and ``__main__``: the one-command headless run against a reference server
  (started by ``server.process``, the one launcher of it);
* ``asyncio_driver`` and ``compare``: the yardstick and the figures.

Modules that import gevent never patch it; only Locust does, in its own processes.
The Locust user itself is ``locustfile.py`` at the project root, where Locust looks.
"""
