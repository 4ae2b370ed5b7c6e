"""Stop a diagram's script or expression once it has run past its time limit.

A trace function is installed on the running thread only while restricted code
runs. It watches the frames of that code alone (their globals are the scope
the code was given), so the host functions a script calls run at full speed,
and it checks the clock at every line the diagram's code runs: a loop is
stopped within a line of the limit. What one line does in C (one huge
multiplication, one regular expression) cannot be stopped this way; see the
module docstring of scripting.py.
"""

import sys
import time
from collections.abc import Iterator

# Diagram code sets a few variables, compares values and queues emails: the
# shipped process's scripts run in well under a millisecond. Two seconds leaves
# ample room for honest work on a busy server, while a runaway loop gives its
# server thread (or the timer worker) back before a client's request times out.
TIME_LIMIT_SECONDS = 2.0


class ScriptTimeout(Exception):
    """Diagram code ran past TIME_LIMIT_SECONDS and was stopped."""


def run_limited(code, scope, what="script"):
    """Run restricted `code` in `scope` within the time limit; return its value.

    An iterator the code returns is read to its end within the limit too: the
    generators or lambdas behind it would otherwise run later, unwatched.
    """
    watch = _Watch(scope, what)
    previous = sys.gettrace()
    sys.settrace(watch.on_call)
    try:
        value = eval(code, scope)  # restricted code only: compiled by scripting
        if isinstance(value, Iterator):
            value = list(value)
    finally:
        sys.settrace(previous)
    return value


class _Watch:
    """The deadline of one run and the trace functions that enforce it."""

    def __init__(self, scope, what):
        self.scope = scope
        self.what = what
        self.deadline = time.monotonic() + TIME_LIMIT_SECONDS

    def on_call(self, frame, event, arg):
        # Called for every new frame of the thread: only the diagram's own code
        # (the top level, its functions, lambdas and comprehensions) is traced.
        if frame.f_globals is not self.scope:
            return None
        self._check()
        return self.on_line

    def on_line(self, frame, event, arg):
        if event == "line":
            self._check()
        return self.on_line

    def _check(self):
        # Every line, not every Nth: one line may be slow (a sort, a long string
        # built), and reading the clock is a small part of the cost of tracing.
        if time.monotonic() > self.deadline:
            raise ScriptTimeout(f"{self.what} ran too long")
