"""Check a timer's expression at deploy: a quoted ISO 8601 value, at most ten years."""

from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    CycleTimerEventDefinition,
    DurationTimerEventDefinition,
    TimerEventDefinition,
)

from .problem import Problem
from .scripting import RestrictedEnvironment, ScriptRefused

# A longer wait is a typo (P99999999D); far enough out, the due date passes the
# year 9999, which no date holds, and SpiffWorkflow counts a duration's months
# one by one, so P999999999Y would keep a server thread busy for hours.
MAX_TIMER_DAYS = 3653  # ten years
_DAYS_IN = {
    "years": 365.25,
    "months": 365.25 / 12,
    "weeks": 7,
    "days": 1,
    "hours": 1 / 24,
    "minutes": 1 / (24 * 60),
    "seconds": 1 / (24 * 60 * 60),
}


def timer_problems(definition, element):
    """Problems with the expression of timer event `definition` of `element`."""
    expression = definition.expression or ""
    try:
        value = RestrictedEnvironment().evaluate(expression, {})
    except (ScriptRefused, SyntaxError) as error:
        return [Problem(element, f"timer expression does not compile: {error}")]
    except Exception:
        value = None
    if not isinstance(value, str):
        message = (
            f"timer expression {expression!r} must be a quoted ISO 8601 string, "
            'for example "P3D"'
        )
        return [Problem(element, message)]
    if _longest_days(value) > MAX_TIMER_DAYS:
        message = f"timer value {value!r} is longer than ten years"
        return [Problem(element, message)]
    try:
        _parse(definition, value)
    except Exception as error:
        return [Problem(element, f"timer value {value!r} is not ISO 8601: {error}")]
    return []


def _parse(definition, value):
    if isinstance(definition, DurationTimerEventDefinition):
        TimerEventDefinition.parse_iso_duration(value)
    elif isinstance(definition, CycleTimerEventDefinition):
        TimerEventDefinition.parse_iso_recurring_interval(value)
    else:
        TimerEventDefinition.parse_time_or_duration(value)


def _longest_days(value):
    """The days the longest duration in `value` (a duration or a cycle) lasts.

    Read before SpiffWorkflow computes a cycle's interval, which takes as long
    as the duration has months.
    """
    longest = 0
    for part in value.upper().replace("--", "/").split("/"):
        if not part.strip().startswith("P"):
            continue
        try:
            parsed = TimerEventDefinition.parse_iso_duration(part.strip())
        except Exception:
            continue  # not a duration: the parse that follows says why
        days = sum(_DAYS_IN.get(unit, 0) * n for unit, n in parsed.items())
        longest = max(longest, days)
    return longest
