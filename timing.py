"""Report each request's handling time in a `Server-Timing` header."""

import time

from flask import g


def init_app(app):
    """Time every request of `app` from routing to response."""
    app.before_request(_start)
    app.after_request(_finish)


def _start():
    g.started = time.perf_counter()


def _finish(response):
    started = g.get("started")
    if started is not None:
        elapsed = (time.perf_counter() - started) * 1000
        response.headers["Server-Timing"] = f"app;dur={elapsed:.2f}"
    return response
