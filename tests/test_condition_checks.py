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
