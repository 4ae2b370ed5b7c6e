"""Every path survives save and reload at every step, with JSON-only task data."""

import json

import pytest

import engine
from casework.versions import LANES, read_bundle

from .conftest import sample_cases


@pytest.fixture(scope="module")
def definition():
    return engine.load_definition(read_bundle("processes", "forms"), LANES)


def assert_round_trip(definition, outcome):
    reloaded = engine.read_case(definition, outcome.state)
    assert json.loads(reloaded.state) == json.loads(outcome.state)
    assert [t.id for t in reloaded.ready] == [t.id for t in outcome.ready]
    assert reloaded.data == outcome.data
    assert reloaded.timers == outcome.timers
    assert reloaded.finished == outcome.finished
    assert json.loads(json.dumps(outcome.data)) == outcome.data
    assert json.loads(outcome.state)["serializer_version"] == engine.SERIALIZER_VERSION


def run_through(definition, case):
    outcome = engine.start_case(definition, {**case["report"], "case_number": "T-1"})
    assert_round_trip(definition, outcome)
    for decision in case["decisions"]:
        task = next(t for t in outcome.ready if t.element == decision["task"])
        outcome = engine.complete_task(
            definition, outcome.state, task.id, decision["data"]
        )
        assert_round_trip(definition, outcome)
    return outcome


@pytest.mark.parametrize("index", range(16))
def test_sample_path_round_trips_at_every_step(definition, index):
    cases = sample_cases()
    if index >= len(cases):
        pytest.skip("fewer sample cases")
    outcome = run_through(definition, cases[index])
    if cases[index]["path"] == "engineering_no_answer":
        assert not outcome.finished
    else:
        assert outcome.finished


def test_completing_a_task_twice_is_refused(definition):
    case = sample_cases()[0]
    outcome = engine.start_case(definition, {**case["report"], "case_number": "T-2"})
    task = outcome.ready[0]
    after = engine.complete_task(
        definition, outcome.state, task.id, {"aggregation_related": True}
    )
    with pytest.raises(engine.TaskNotReady):
        engine.complete_task(
            definition, after.state, task.id, {"aggregation_related": True}
        )
    with pytest.raises(engine.TaskNotReady):
        engine.complete_task(definition, after.state, "not-a-uuid", {})
