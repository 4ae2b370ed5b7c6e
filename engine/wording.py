"""SpiffWorkflow's parse errors in the words of a person at a modeler.

The engine's messages name its own classes or stop short ("not supported for
tasks of type."); the ones a modeler's drawing commonly meets are said again
here: what is wrong and what to do in the modeler.
"""

import re

REWORDED = (
    (
        re.compile(r"Multiple outgoing flows are not supported for tasks of type"),
        "this task has more than one outgoing flow; split the way with a "
        "gateway after it",
    ),
    (
        re.compile(r"Time Specification Error"),
        "this timer has no time (a duration, a date or a cycle); give it one, "
        'for example "P3D"',
    ),
    (
        re.compile(r"A Service Task must have an operator"),
        "service tasks are not run here (they need an operator); use a script "
        "task or a user task",
    ),
    (
        re.compile(r"Data Store with name (.*) has no implementation", re.DOTALL),
        r"data store '\1' is not supported here: the service keeps case data "
        "itself; remove it from the diagram",
    ),
    (
        re.compile(r"Non-default exclusive outgoing sequence flow without condition"),
        "this flow leaves an exclusive gateway with neither a condition nor the "
        "default mark; give it a condition or make it the gateway's default",
    ),
)


def reworded(message):
    """`message` with its white space folded, in plainer words where known."""
    message = " ".join(message.split()).rstrip(" .") or message
    for pattern, words in REWORDED:
        match = pattern.search(message)
        if match:
            return match.expand(words)
    return message
