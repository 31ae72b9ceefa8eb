"""The chat load: many tenants at once, isolation checked under load (see README.md).

* ``session``: one load user's conversation and how each exchange is judged;
* ``failures``: the stable names of failed requests;
* ``options``: the knobs, shared by Locust and the plain asyncio driver;
* ``gevent_runtime`` and ``process``: the client loop in a gevent-patched Locust process;
* ``children`` and ``__main__``: the one-command headless run against a reference server;
* ``asyncio_driver`` and ``compare``: the yardstick and the figures.

Modules that import gevent never patch it; only Locust does, in its own processes.
"""
