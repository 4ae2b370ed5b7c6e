"""The engine's parse errors reach process owners in plain words."""

import pytest

from engine.wording import reworded


@pytest.mark.parametrize(
    "said, meant",
    [
        (
            "Multiple outgoing flows are not supported for tasks of type",
            "split the way with a gateway",
        ),
        ("Time Specification Error. Unknown Time Specification. .", '"P3D"'),
        ("A Service Task must have an operator.", "use a script task"),
        (
            "Data Store with name Data\nStore Reference has no implementation.",
            "data store 'Data Store Reference' is not supported here",
        ),
        (
            "Non-default exclusive outgoing sequence flow without condition. ",
            "make it the gateway's default",
        ),
    ],
)
def test_known_engine_messages_say_what_to_do(said, meant):
    assert meant in reworded(said)


def test_other_messages_keep_their_words_on_one_line():
    said = "Exactly one start event is required\n in a SubWorkflow Task; found 0.."

    assert reworded(said) == (
        "Exactly one start event is required in a SubWorkflow Task; found 0"
    )
