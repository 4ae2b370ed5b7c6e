"""Before a deploy, run the priority table over a grid of reports: every severity
the forms allow times the accounts impacted around each number the table compares
with. Each report must get exactly one of the four priorities."""

import math

import engine
from engine.decisions import decide_grid, decision_sources, priority_table
from models.case import PRIORITY_RANK

from .reporting import MAX_INTEGER

PRIORITIES = tuple(PRIORITY_RANK)
SEVERITY, ACCOUNTS = "severity", "accounts_impacted"
ALWAYS_TRIED = (0, 1, 1_000_000)
SHOWN = 4  # problems listed one by one; the rest are counted in one more
# Reports times rules: a few seconds of checking. Real tables stay far below.
MAX_EVALUATIONS = 200_000


def priority_problems(definition, files):
    """Problems, naming the table file, for the reports the priority table gives
    no priority, a value that is not a priority, or (hit policy UNIQUE) two rules."""
    table = priority_table(definition)
    if table is None:
        return []
    severities = _severities(definition)
    if not severities:
        message = (
            f"{SEVERITY} needs an enum of its choices, so that the priority table "
            "can be checked for each of them"
        )
        return [engine.Problem(definition.start_form, message)]
    accounts = _accounts(definition, table.numbers)
    points = [{SEVERITY: s, ACCOUNTS: n} for s in severities for n in accounts]
    where = _table_file(files, table.table_id)
    if len(points) * max(table.rule_count, 1) > MAX_EVALUATIONS:
        message = (
            f"{len(points)} reports to check against {table.rule_count} rules are "
            "too many; compare with fewer numbers or use fewer rules"
        )
        return [engine.Problem(where, message)]
    causes = {}
    for point, hit in zip(points, decide_grid(definition, points), strict=True):
        cause = _cause(point, hit, table.unique)
        if cause is not None:
            causes.setdefault(cause, (hit, []))[1].append(point)
    messages = [_message(cause, hit, found) for cause, (hit, found) in causes.items()]
    return _summarised(where, messages)


def _cause(point, hit, unique):
    """What is wrong with the table's answer to one report, as a key that groups
    the reports going wrong for one reason; None when nothing is."""
    if hit.fault:
        return ("fault", point[SEVERITY], point[ACCOUNTS])
    if unique and len(hit.rules) > 1:
        return ("overlap", hit.rules)
    if not hit.rules:
        return ("no rule", point[SEVERITY])
    if hit.priority not in PRIORITIES:
        return ("not a priority", hit.rules[0], repr(hit.priority))
    return None


def _message(cause, hit, points):
    kind, first = cause[0], points[0]
    if kind == "no rule":
        counts = [point[ACCOUNTS] for point in points]
        return f"{_report(first[SEVERITY], counts)}: no rule of the table matches"
    report = _report(first[SEVERITY], [first[ACCOUNTS]])
    if kind == "fault":
        return f"{report}: the table fails: {hit.fault}"
    if kind == "overlap":
        rules = " and ".join(hit.rules)
        every = "both" if len(hit.rules) == 2 else "all"
        return f"{report}: rules {rules} {every} match, but the hit policy is UNIQUE"
    wanted = ", ".join(PRIORITIES)
    given = f"rule {hit.rules[0]} gives {hit.priority!r}"
    return f"{report}: {given}, which is not one of {wanted}"


def _report(severity, counts):
    listed = ", ".join(str(n) for n in counts[:-1])
    listed = f"{listed} or {counts[-1]}" if listed else str(counts[-1])
    noun = "account" if counts == [1] else "accounts"
    return f"severity {severity!r} with {listed} {noun} impacted"


def _summarised(element, messages):
    problems = [engine.Problem(element, message) for message in messages[:SHOWN]]
    if len(messages) > SHOWN:
        more = len(messages) - SHOWN
        message = f"and {more} more problem{'s' if more > 1 else ''} of this table"
        problems.append(engine.Problem(element, message))
    return problems


def _forms_in_use(definition):
    names = [definition.start_form, *(s.form for s in definition.steps.values())]
    schemas = (definition.forms.get(name) for name in dict.fromkeys(names) if name)
    return [schema for schema in schemas if schema is not None]


def _field_specs(definition, field):
    for schema in _forms_in_use(definition):
        spec = (schema.get("properties") or {}).get(field)
        if isinstance(spec, dict):
            yield spec


def _severities(definition):
    """Every severity a form allows, the report form's first; none when the
    report form leaves severity free."""
    report = definition.forms.get(definition.start_form) or {}
    own = (report.get("properties") or {}).get(SEVERITY)
    if not isinstance(own, dict) or not isinstance(own.get("enum"), list):
        return []
    choices = {}
    for spec in _field_specs(definition, SEVERITY):
        for choice in spec.get("enum") or ():
            if isinstance(choice, str):
                choices.setdefault(choice)
    return list(choices)


def _accounts(definition, numbers):
    """0, 1, a large number and each number the table compares with and its
    neighbours, as far as the forms allow accounts impacted to go."""
    tried = set(ALWAYS_TRIED)
    for number in numbers:
        whole = math.floor(number)
        tried |= {whole - 1, whole, whole + 1, math.ceil(number)}
    low, high = _bounds(definition)
    tried |= {low, high}
    return sorted(n for n in tried if low <= n <= high)


def _bounds(definition):
    """The lowest and highest accounts impacted any form accepts."""
    lows, highs = [], []
    for spec in _field_specs(definition, ACCOUNTS):
        lows.append(_bound(spec, "minimum", "exclusiveMinimum", math.ceil, 1))
        highs.append(_bound(spec, "maximum", "exclusiveMaximum", math.floor, -1))
    # A form without a bound leaves that side open whatever the others say.
    low = -MAX_INTEGER if not lows or None in lows else max(min(lows), -MAX_INTEGER)
    high = MAX_INTEGER if not highs or None in highs else min(max(highs), MAX_INTEGER)
    return low, high


def _bound(spec, inclusive, exclusive, to_whole, step):
    """A form's bound as a whole number, or None when it sets none."""
    value = spec.get(inclusive)
    if _finite_number(value):
        return to_whole(value)
    value = spec.get(exclusive)
    if _finite_number(value):
        whole = to_whole(value)
        return whole + step if whole == value else whole
    return None


def _finite_number(value):
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return isinstance(value, int) or math.isfinite(value)


def _table_file(files, table_id):
    for name, _decision, tables in decision_sources(files):
        if table_id in tables:
            return name
    return table_id
