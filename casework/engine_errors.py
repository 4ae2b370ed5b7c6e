"""Turn the engine's failures into casework errors the API can answer with."""

from contextlib import contextmanager

import engine

from .errors import Conflict, ProcessError


@contextmanager
def engine_errors():
    """Inside this block a task that is not ready is a 409, a process failure a 422."""
    try:
        yield
    except engine.TaskNotReady as error:
        raise Conflict(str(error)) from error
    except engine.ProcessFault as fault:
        message = f"the process failed at {fault.element}: {fault.message}"
        raise ProcessError(message) from fault
