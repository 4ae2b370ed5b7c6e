"""Run a case's workflow: start it, complete its tasks, fire its timers."""

import copy
import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from uuid import UUID

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.exceptions import TaskNotFoundException
from SpiffWorkflow.util.task import TaskState

from . import storage
from .faults import ProcessFault, engine_faults
from .scripting import script_engine

log = logging.getLogger("casepath.engine")

RECORDED_KINDS = {
    "ScriptTask",
    "BusinessRuleTask",
    "SendTask",
    "ServiceTask",
    "EndEvent",
    "BoundaryEvent",
    "IntermediateThrowEvent",
    "IntermediateCatchEvent",
}


class TaskNotReady(Exception):
    """The task is unknown to this case or cannot be completed now."""


@dataclass
class ReadyTask:
    """A user task waiting for a person."""

    id: str
    element: str
    name: str
    lane: str | None
    data: dict


@dataclass
class PendingTimer:
    """A timer that will fire at `due_at` (ISO 8601, UTC)."""

    task_id: str
    element: str
    name: str
    due_at: str


@dataclass
class Step:
    """An automatic element the engine ran (a script, a decision, an end event)."""

    element: str
    name: str
    kind: str


@dataclass
class Notice:
    """A message a script asked to send: template name, recipient and case data."""

    template: str
    to: str
    element: str = ""
    data: dict = field(default_factory=dict)


@dataclass
class Outcome:
    """Everything the host stores or shows after one engine operation."""

    state: str
    serializer_version: str
    finished: bool
    data: dict
    ready: list
    timers: list
    steps: list
    notices: list
    workflow: object = field(default=None, repr=False, compare=False)


class Run:
    """One operation on one workflow, collecting what scripts and steps did."""

    def __init__(self):
        self.notices = []
        self.steps = []
        self._pending = []

    def engine(self):
        return script_engine({"notify": self._notify})

    def _notify(self, template, to=None):
        notice = Notice(template=str(template), to=str(to or ""))
        self._pending.append(notice)
        self.notices.append(notice)

    def did_complete(self, task):
        spec = task.task_spec
        for notice in self._pending:
            notice.element = getattr(spec, "bpmn_id", "") or ""
            notice.data = copy.deepcopy(task.data)
        self._pending = []
        kind = type(spec).__name__
        element = getattr(spec, "bpmn_id", None)
        if element and kind in RECORDED_KINDS:
            self.steps.append(Step(element, spec.bpmn_name or element, kind))

    def advance(self, workflow):
        with engine_faults():
            workflow.do_engine_steps(did_complete_task=self.did_complete)
        failed = workflow.get_tasks(state=TaskState.ERROR)
        if failed:
            spec = failed[0].task_spec
            raise ProcessFault(getattr(spec, "bpmn_id", spec.name), "task failed")


def start_case(definition, data):
    """Start a workflow of `definition` on report `data`; run to the first wait."""
    run = Run()
    workflow = BpmnWorkflow(
        definition.spec, definition.subprocess_specs, script_engine=run.engine()
    )
    for task in workflow.get_tasks(state=TaskState.READY):
        task.data.update(copy.deepcopy(data))
    run.advance(workflow)
    return outcome_of(workflow, run)


def complete_task(definition, state, task_id, data, key=None):
    """Complete the ready user task `task_id` with form `data`; run to the next wait.

    `key` names the stored `state` (see `keep`); a workflow kept under it is
    used instead of reading `state` again.
    """
    run = Run()
    workflow = load_workflow(definition, state, run, key)
    task = _ready_task(workflow, task_id)
    task.data.update(copy.deepcopy(data))
    with engine_faults():
        task.run()
    run.advance(workflow)
    return outcome_of(workflow, run)


def fire_timers(definition, state, key=None):
    """Fire every timer of the case that is due now and run on to the next wait."""
    run = Run()
    workflow = load_workflow(definition, state, run, key)
    with engine_faults():
        workflow.refresh_timers()
    run.advance(workflow)
    return outcome_of(workflow, run)


def read_case(definition, state, key=None):
    """The current outcome of a stored workflow, changing nothing."""
    run = Run()
    outcome = outcome_of(load_workflow(definition, state, run, key), run)
    if key is not None:
        _warm.put(key, outcome.workflow)
    return outcome


def keep(outcome, key):
    """Remember the workflow of `outcome`, now stored under `key`, for the next use.

    Call it only once `outcome.state` is durably stored under `key`.
    """
    if outcome.workflow is not None:
        _warm.put(key, outcome.workflow)


class _WarmWorkflows:
    """The workflows this process stored last, so the next change skips a reload.

    A workflow is taken out while in use, so two threads never share one.
    """

    def __init__(self, size=512):
        self.size = size
        self._items = OrderedDict()
        self._lock = threading.Lock()

    def take(self, key):
        with self._lock:
            return self._items.pop(key, None)

    def put(self, key, workflow):
        with self._lock:
            self._items[key] = workflow
            while len(self._items) > self.size:
                self._items.popitem(last=False)


_warm = _WarmWorkflows()


def load_workflow(definition, state, run, key=None):
    workflow = _warm.take(key) if key is not None else None
    if workflow is None or workflow.spec is not definition.spec:
        try:
            workflow = storage.load(definition, state)
        except storage.SpecMissing as error:
            raise ProcessFault("process", str(error)) from error
    workflow.script_engine = run.engine()
    return workflow


def _ready_task(workflow, task_id):
    try:
        task = workflow.get_task_from_id(UUID(str(task_id)))
    except (TaskNotFoundException, ValueError) as error:
        raise TaskNotReady(f"task {task_id} is not part of this case") from error
    if task is None or task.state != TaskState.READY or not task.task_spec.manual:
        raise TaskNotReady(f"task {task_id} is not ready")
    return task


def outcome_of(workflow, run):
    ready = [
        ReadyTask(
            id=str(task.id),
            element=task.task_spec.bpmn_id,
            name=task.task_spec.bpmn_name or task.task_spec.bpmn_id,
            lane=task.task_spec.lane,
            data=task.data,
        )
        for task in workflow.get_tasks(state=TaskState.READY, manual=True)
    ]
    return Outcome(
        state=storage.dump(workflow),
        serializer_version=storage.SERIALIZER_VERSION,
        finished=workflow.completed,
        data=copy.deepcopy(_current_data(workflow, ready)),
        ready=ready,
        timers=_timers(workflow),
        steps=run.steps,
        notices=run.notices,
        workflow=workflow,
    )


def _current_data(workflow, ready):
    if ready:
        return ready[0].data
    done = [
        task
        for task in workflow.get_tasks(state=TaskState.COMPLETED)
        if getattr(task.task_spec, "bpmn_id", None)
    ]
    if workflow.completed and workflow.data:
        return workflow.data
    if done:
        return max(done, key=lambda task: task.last_state_change).data
    return {}


def _timers(workflow):
    timers = []
    for task in workflow.get_tasks(state=TaskState.WAITING):
        definition = getattr(task.task_spec, "event_definition", None)
        due = task.internal_data.get("event_value")
        if isinstance(definition, TimerEventDefinition) and isinstance(due, str):
            spec = task.task_spec
            timers.append(
                PendingTimer(str(task.id), spec.bpmn_id, spec.bpmn_name or "", due)
            )
    return timers
