"""Server time per completed task on the Engineering path vs. bare SpiffWorkflow.

Run with `make bench`. Both sides run the same diagram and the same decisions
in the same process. Bare SpiffWorkflow is measured twice: completing tasks on
a workflow kept in memory, and with the load and save (JSON serializer) that a
service storing its cases must do around every completion.
"""

import time

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import TaskDataEnvironment
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.util.task import TaskState

from models import Case, Task

from .common import ENGINEERING_PATH, REPORT, WORKER, bench_app, headers, summary

CASES = 30


def server_seconds(response):
    """The handling time the service reports in its Server-Timing header."""
    timing = response.headers["Server-Timing"]
    return float(timing.split("dur=")[1]) / 1000


def server_times(app):
    """Seconds per POST /api/tasks/<id>/complete, over CASES full paths."""
    client = app.test_client()
    samples = []
    for _ in range(CASES):
        response = client.post("/api/cases", json=REPORT, headers=headers("client"))
        number = response.get_json()["case_number"]
        for element, data in ENGINEERING_PATH:
            task_id = _ready_task(app, number, element)
            response = client.post(
                f"/api/tasks/{task_id}/complete",
                json={"data": data},
                headers=headers(WORKER[element]),
            )
            assert response.status_code == 200, response.get_json()
            samples.append(server_seconds(response))
    return samples


def _ready_task(app, number, element):
    with app.app_context():
        return (
            Task.query.join(Case)
            .filter(Case.case_number == number, Task.element == element)
            .filter(Task.state == "ready")
            .one()
            .id
        )


def bare_times(with_storage):
    """Seconds per completed task with SpiffWorkflow alone, same diagram and data."""
    parser = SpiffBpmnParser()
    parser.add_bpmn_files(["processes/case_lifecycle.bpmn"])
    parser.add_dmn_files(["processes/priority.dmn"])
    spec = parser.get_spec("case_lifecycle")
    subprocesses = parser.get_subprocess_specs("case_lifecycle")
    serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))
    engine = PythonScriptEngine(TaskDataEnvironment({"notify": lambda *a, **k: None}))
    samples = []
    for _ in range(CASES):
        workflow = BpmnWorkflow(spec, subprocesses, script_engine=engine)
        workflow.get_tasks(state=TaskState.READY)[0].data.update(REPORT)
        workflow.do_engine_steps()
        state = serializer.serialize_json(workflow)
        for element, data in ENGINEERING_PATH:
            started = time.perf_counter()
            if with_storage:
                workflow = serializer.deserialize_json(state)
                workflow.script_engine = engine
            task = workflow.get_tasks(
                state=TaskState.READY, manual=True, spec_name=element
            )[0]
            task.data.update(data)
            task.run()
            workflow.do_engine_steps()
            if with_storage:
                state = serializer.serialize_json(workflow)
            samples.append(time.perf_counter() - started)
    return samples


ROUNDS = 3
ROWS = [
    ("server (auth, forms, DB, engine)", "server"),
    ("bare SpiffWorkflow, in memory", "bare"),
    ("bare SpiffWorkflow, load + save JSON", "stored"),
]


def main():
    app = bench_app()
    server_times(app)  # warm up caches and the database file
    samples = {"server": [], "bare": [], "stored": []}
    for _ in range(ROUNDS):  # interleaved, so machine noise hits every side
        samples["server"] += server_times(app)
        samples["bare"] += bare_times(with_storage=False)
        samples["stored"] += bare_times(with_storage=True)
    figures = {side: summary(values) for side, values in samples.items()}
    count = len(samples["server"])
    print(f"Engineering path: {count} completed tasks a side, {ROUNDS} rounds")
    print(f"{'':40}{'median ms':>10}{'mean ms':>10}")
    for label, side in ROWS:
        median, mean = figures[side]
        print(f"{label:40}{median:10.2f}{mean:10.2f}")
    server = figures["server"][0]
    print(f"ratio server / bare in memory:     {server / figures['bare'][0]:.2f}")
    print(f"ratio server / bare load + save:   {server / figures['stored'][0]:.2f}")


if __name__ == "__main__":
    main()
