"""Conditions on sequence flows: a problem names the flow that holds the
condition, and one that fails for every value a case could bring is refused."""

import pytest

import engine
from casework.versions import LANES, read_bundle

from .test_definition import edited, problems_of

AGGREGATION = "aggregation_related == True"
FLOW = "flow_is_aggregation_related_to_log_case"


@pytest.fixture(scope="module")
def bundle():
    return read_bundle("processes", "forms")


def with_condition(bundle, condition):
    return edited(bundle, AGGREGATION, condition)


def test_a_condition_that_does_not_compile_is_named_by_its_flow(bundle):
    problems = problems_of(with_condition(bundle, "aggregation_related.__class__"))

    assert any(
        element == FLOW and message.startswith("condition does not compile")
        for element, message in problems
    ), problems


@pytest.mark.parametrize(
    "condition, error",
    [
        ("1 / 0 == 1 or aggregation_related", "ZeroDivisionError"),
        ('aggregation_related + "s" == "x"', "TypeError"),
        ("len(aggregation_related) > 0", "TypeError"),
    ],
)
def test_a_condition_that_fails_for_every_value_is_refused(bundle, condition, error):
    problems = problems_of(with_condition(bundle, condition.replace("<", "&lt;")))

    [(element, message)] = [p for p in problems if "fails for every value" in p[1]]
    assert element == FLOW
    assert f"({error}:" in message
    assert "leaving is_aggregation_related" in message


def test_a_condition_that_fails_for_some_values_only_deploys(bundle):
    # Fails when aggregation_related is False (1 / 0), holds when it is True.
    files = with_condition(bundle, "aggregation_related and 1 or 1 / 0 == 1")

    definition = engine.load_definition(files, LANES)

    assert "is_aggregation_related" in definition.element_names


@pytest.mark.parametrize(
    "condition",
    ['aggregation_related == "True"', "aggregation_related is None"],
)
def test_a_condition_no_answer_the_form_allows_can_make_true_is_refused(
    bundle, condition
):
    problems = dict(problems_of(with_condition(bundle, condition)))

    assert "is false for every value the forms allow" in problems[FLOW]
    assert "aggregation_related: True, False" in problems[FLOW]


def test_a_condition_on_free_text_is_not_called_never_true(bundle):
    files = edited(bundle, 'outcome == "needs_engineering"', 'findings == "urgent"')

    problems = dict(problems_of(files)) if _refused(files) else {}

    assert not any("false for every value" in m for m in problems.values())


def _refused(files):
    try:
        engine.load_definition(files, LANES)
    except engine.DefinitionInvalid:
        return True
    return False


def test_a_default_flow_with_a_condition_is_refused(bundle):
    files = edited(
        bundle,
        '<bpmn:sequenceFlow id="flow_is_aggregation_related_to_resolve_directly" '
        'name="No" sourceRef="is_aggregation_related" targetRef="resolve_directly" />',
        '<bpmn:sequenceFlow id="flow_is_aggregation_related_to_resolve_directly" '
        'name="No" sourceRef="is_aggregation_related" targetRef="resolve_directly">'
        '<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">'
        "aggregation_related == False</bpmn:conditionExpression></bpmn:sequenceFlow>",
    )

    problems = dict(problems_of(files))

    flow = "flow_is_aggregation_related_to_resolve_directly"
    assert "is the default flow of is_aggregation_related" in problems[flow]


def test_a_condition_failing_at_run_time_says_why(api, unchanged):
    from pathlib import Path

    from .steps import assert_error, fixed_by
    from .test_deploy import deploy

    xml = Path("processes/case_lifecycle.bpmn").read_bytes()
    broken = xml.replace(b"approved == True", b"1 / (0 if approved else 1) == 1")
    assert deploy(api, [("bpmn", "case_lifecycle.bpmn", broken)]).status_code == 201
    review = fixed_by(api, "data1")

    with unchanged():
        response = api.post(
            f"/api/tasks/{review['id']}/complete",
            "data2",
            json={"data": {"approved": True}},
        )

    error = assert_error(response, 422, "process_error")
    assert "review_decision" in error["message"]
    assert "(ZeroDivisionError: division by zero)" in error["message"]
    assert not error["message"].endswith(" ")
