"""Move a running case onto another version of its process, where the engine can.

The two versions' elements are lined up by id. A case can move when every
element it has passed or waits at is in the new version under the same id and
of the same kind, and each step it waits at is still reached the way the case
reached it (a boundary event added to a waiting step changes that). The steps
it waits at are then set up again from the new version, while timers that did
not change keep their due times.

The engine would also pair an element with a differently named one that stands
between the same neighbours; that is refused here, since the case would then
seem to have done a step nobody did.
"""

import re
from dataclasses import dataclass, field

from SpiffWorkflow.bpmn.specs.control import BoundaryEventSplit
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.util.diff import diff_workflow, migrate_workflow
from SpiffWorkflow.util.task import TaskState

from . import storage
from .problem import Problem
from .runtime import Run, load_workflow, outcome_of

# Tasks that have happened or are happening: their elements must survive a move.
LIVE = TaskState.COMPLETED | TaskState.READY | TaskState.WAITING | TaskState.STARTED
WAITS = TaskState.READY | TaskState.WAITING


@dataclass
class MigrationPlan:
    """Whether a case can move to a version, why not, and what would change."""

    movable: bool
    reasons: list = field(default_factory=list)
    changes: list = field(default_factory=list)


class MigrationRefused(Exception):
    """The case cannot move; `reasons` are Problems naming the elements."""

    def __init__(self, reasons):
        super().__init__("; ".join(f"{p.element}: {p.message}" for p in reasons))
        self.reasons = reasons


def plan_migration(old, new, state):
    """What moving the workflow stored in `state` from `old` to `new` would do."""
    plan, _workflow = _migrated(old, new, state, Run())
    return plan


def migrate_case(old, new, state):
    """Move the workflow in `state` onto `new`; its Outcome, or MigrationRefused."""
    run = Run()
    plan, workflow = _migrated(old, new, state, run)
    if not plan.movable:
        raise MigrationRefused(plan.reasons)
    run.advance(workflow)
    return outcome_of(workflow, run), plan


def _migrated(old, new, state, run):
    """The plan and, when movable, the workflow moved in memory."""
    if new.process_id != old.process_id:
        reason = Problem(
            new.process_id,
            f"the new version runs process {new.process_id}, "
            f"the case runs {old.process_id}",
        )
        return MigrationPlan(False, [reason]), None
    workflow = load_workflow(old, state, run)
    top, subprocesses = diff_workflow(
        storage.SERIALIZER.registry, workflow, new.spec, new.subprocess_specs
    )
    reasons = _reasons(top, subprocesses)
    if reasons:
        return MigrationPlan(False, reasons), None
    changes = _changes(top)
    due_times = _due_times(workflow)
    migrate_workflow(top, workflow, new.spec)
    for sp_id, diff in subprocesses.items():
        subprocess = workflow.subprocesses[sp_id]
        migrate_workflow(diff, subprocess, new.subprocess_specs[subprocess.spec.name])
    workflow.subprocess_specs = new.subprocess_specs
    kept = _keep_timers(workflow, due_times, top)
    changes.extend(f"{element}: the timer keeps its due time" for element in kept)
    problem = _load_problem(workflow, new)
    if problem is not None:
        return MigrationPlan(False, [problem]), None
    return MigrationPlan(True, [], sorted(changes)), workflow


def _reasons(top, subprocesses):
    reasons = []
    for task in top.removed:
        if task.state & LIVE:
            reasons.append(_lacking(task))
    for task, spec in top.alignment.items():
        if not task.state & LIVE or spec is None:
            continue
        if spec.name != task.task_spec.name:
            reasons.append(_lacking(task))
        elif type(spec) is not type(task.task_spec):
            reasons.append(_other_kind(task, spec))
        elif task.state & WAITS and _reached_otherwise(task, spec, top.alignment):
            reasons.append(_reached_differently(task))
    for sp_id, diff in subprocesses.items():
        if diff is None:
            reasons.append(
                Problem(
                    str(sp_id), "a subprocess of the case is not in the new version"
                )
            )
        else:
            reasons.extend(_reasons(diff, {}))
    return reasons


def _what(task):
    return "waits at" if task.state & WAITS else "has passed"


def _lacking(task):
    spec = task.task_spec
    return Problem(
        _element(spec),
        f"the case {_what(task)} {_label(spec)}, which the new version lacks",
    )


def _other_kind(task, spec):
    return Problem(
        _element(task.task_spec),
        f"the case {_what(task)} {_label(task.task_spec)}, "
        f"{_a(_kind(task.task_spec))}, which is {_a(_kind(spec))} in the new version",
    )


def _a(words):
    return f"{'an' if words[:1] in 'aeiou' else 'a'} {words}"


def _reached_otherwise(task, spec, alignment):
    """Whether the new version reaches the step `task` waits at from somewhere
    other than the step the case came from (a boundary event added around it),
    or with other boundary events beside it than the case has."""
    parent = task.parent
    if parent is None:
        return False
    before = alignment.get(parent)
    if before is not None and before not in spec.inputs:
        return True
    if isinstance(parent.task_spec, BoundaryEventSplit) and before is not None:
        return _names(parent.task_spec.outputs) != _names(before.outputs)
    return False


def _names(specs):
    return sorted(spec.name for spec in specs)


def _reached_differently(task):
    spec = task.task_spec
    return Problem(
        _element(spec),
        f"the case waits at {_label(spec)}, which the new version reaches another "
        "way (a boundary event added or removed there, say); move it once it "
        "has left that step",
    )


def _kind(spec):
    """'user task', 'script task': a spec's kind as the diagram names it."""
    words = re.findall(r"[A-Z][a-z]*", type(spec).__name__)
    return " ".join(words).lower() or "step"


def _changes(top):
    """Plain lines on what differs at the steps the case waits at."""
    lines = set()
    for task in top.changed:
        element = getattr(task.task_spec, "bpmn_id", None)
        if not (task.state & WAITS and element):
            continue
        if _is_timer(task):
            lines.add(f"{element}: the timer changed and starts again at the move")
        else:
            lines.add(f"{element}: set up again as the new version defines it")
    return list(lines)


def _due_times(workflow):
    return {
        task.id: task.internal_data["event_value"]
        for task in workflow.get_tasks(state=TaskState.WAITING)
        if _is_timer(task) and "event_value" in task.internal_data
    }


def _keep_timers(workflow, due_times, top):
    """Put back the due times of timers whose expression did not change."""
    changed = {task.id for task in top.changed}
    kept = []
    for task_id, due in due_times.items():
        task = workflow.tasks.get(task_id)
        if task is None or task_id in changed or not _is_timer(task):
            continue
        task.internal_data["event_value"] = due
        kept.append(task.task_spec.bpmn_id)
    return sorted(kept)


def _load_problem(workflow, new):
    """Why the moved workflow cannot be stored and read back on `new`, or None."""
    try:
        storage.load(new, storage.dump(workflow))
    except Exception as error:  # any engine failure here means: do not move it
        return Problem(new.process_id, f"the moved case does not load: {error}")
    return None


def _is_timer(task):
    definition = getattr(task.task_spec, "event_definition", None)
    return isinstance(definition, TimerEventDefinition)


def _element(spec):
    return getattr(spec, "bpmn_id", None) or spec.name


def _label(spec):
    name = getattr(spec, "bpmn_name", None)
    return f"{_element(spec)} ({name})" if name else _element(spec)
