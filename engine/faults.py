"""Turn a failure of a diagram's run into a ProcessFault that names the element."""

from contextlib import contextmanager

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.exceptions import SpiffWorkflowException

from .budget import ScriptTimeout


class ProcessFault(Exception):
    """The diagram failed while running (a script error, a gateway with no way out)."""

    def __init__(self, element, message):
        self.element = element
        self.message = message
        super().__init__(f"{element}: {message}")


@contextmanager
def engine_faults():
    """Inside this block a failure of the diagram's run is raised as ProcessFault."""
    try:
        yield
    except SpiffWorkflowException as error:
        raise _fault(error) from error
    except ScriptTimeout as error:
        spec = _running_spec(error)
        element = getattr(spec, "bpmn_id", None) or "process"
        raise ProcessFault(element, str(error)) from error
    except (OverflowError, ValueError) as error:
        # SpiffWorkflow lets these through unwrapped, e.g. when a timer's due
        # date falls past the year 9999.
        raise _unwrapped_fault(error) from error


def _fault(error):
    task = getattr(error, "task", None)
    spec = getattr(task, "task_spec", None) or getattr(error, "task_spec", None)
    element = getattr(spec, "bpmn_id", None) or getattr(spec, "name", "process")
    timeout = _timeout_behind(error)
    if timeout is not None:
        return ProcessFault(element, str(timeout))
    said = error.args[0] if error.args else str(error)
    message = " ".join(str(said).split()).rstrip(" .")
    cause = _cause_behind(error)
    if cause is not None and str(cause) not in message:
        message += f" ({type(cause).__name__}: {cause})"
    return ProcessFault(element, message)


def _cause_behind(error):
    """The first error of the diagram's own code behind a SpiffWorkflow error
    (the TypeError of a condition, say), or None."""
    seen = set()
    error = error.__cause__ or error.__context__
    while error is not None and id(error) not in seen:
        if not isinstance(error, SpiffWorkflowException):
            return error
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return None


def _timeout_behind(error):
    """The ScriptTimeout SpiffWorkflow wrapped into `error`, if it was one."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, ScriptTimeout):
            return error
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return None


def _unwrapped_fault(error):
    spec = _running_spec(error)
    element = getattr(spec, "bpmn_id", None) or "process"
    if isinstance(getattr(spec, "event_definition", None), TimerEventDefinition):
        return ProcessFault(element, f"the timer cannot be set: {error}")
    return ProcessFault(element, str(error))


def _running_spec(error):
    """The spec of the innermost task SpiffWorkflow was running when `error` rose.

    SpiffWorkflow names the task it works on `my_task` throughout.
    """
    found, trace = None, error.__traceback__
    while trace is not None:
        task = trace.tb_frame.f_locals.get("my_task")
        if getattr(getattr(task, "task_spec", None), "bpmn_id", None):
            found = task.task_spec
        trace = trace.tb_next
    return found
