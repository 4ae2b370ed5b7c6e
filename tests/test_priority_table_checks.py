"""A deploy's priority table gives one of the four priorities for every report
the forms allow: gaps, overlaps, other values and tables too large to check are
refused, naming the rule."""

import pytest

from .test_deploy import deploy
from .test_deploy_checks import (
    DMN,
    REPORT_FORM,
    form_bytes,
    refused,
    report_form,
    without_rule,
)
from .test_rerank import LOW_FOR_PARTIAL_FEW

# 4. The priority table over every report


def table_only(api, content, name="priority.dmn"):
    return deploy(api, [("dmn", name, content)])


HIGH_FEW = (
    b'<outputEntry id="rule_partial_few_priority">\n          <text>"High"</text>'
)


def test_a_table_giving_a_value_that_is_not_a_priority_is_refused(api, unchanged):
    urgent = DMN.replace(HIGH_FEW, HIGH_FEW.replace(b'"High"', b'"Urgent"'))

    with unchanged():
        problems = refused(table_only(api, urgent))

    assert len(problems) == 1
    element, message = problems[0]
    assert element == "priority.dmn"
    assert "rule_partial_few" in message and "'Urgent'" in message
    assert "severity 'partial'" in message


def test_a_table_without_a_rule_for_minor_few_is_refused(api, unchanged):
    with unchanged():
        problems = refused(table_only(api, without_rule("rule_minor_few")))

    assert {element for element, _ in problems} == {"priority.dmn"}
    assert all("severity 'minor'" in message for _, message in problems)
    assert any("999 accounts" in m and "no rule" in m for _, m in problems)
    assert not any("1000 accounts" in message for _, message in problems)


def test_many_bad_reports_are_summarised(api, unchanged):
    urgent = DMN
    for priority in (b"Critical", b"High", b"Medium", b"Low"):
        urgent = urgent.replace(
            b'<text>"%s"</text>' % priority, b'<text>"Urgent"</text>'
        )

    with unchanged():
        problems = refused(table_only(api, urgent))

    assert len(problems) == 5
    assert all("'Urgent'" in message for _, message in problems[:4])
    assert problems[-1] == ("priority.dmn", "and 3 more problems of this table")


def test_overlapping_rules_of_a_unique_table_are_refused_naming_both(api, unchanged):
    overlap = DMN.replace(b"&lt; 1000", b"&lt;= 1000", 1)

    with unchanged():
        problems = refused(table_only(api, overlap))

    assert len(problems) == 1
    element, message = problems[0]
    assert element == "priority.dmn"
    assert "rule_partial_many and rule_partial_few" in message
    assert "1000 accounts" in message and "UNIQUE" in message


def test_two_tables_of_one_decision_are_refused(api, unchanged):
    lowered = DMN.replace(b'<text>"Critical"</text>', b'<text>"Low"</text>')

    with unchanged():
        response = deploy(
            api, [("dmn", "priority_a.dmn", DMN), ("dmn", "priority_b.dmn", lowered)]
        )

    problems = refused(response)
    duplicate = [m for element, m in problems if element == "priority"]
    assert duplicate and "priority_a.dmn and priority_b.dmn" in duplicate[0]


def test_a_severity_the_forms_add_needs_a_rule(api, unchanged):
    severity = dict(REPORT_FORM["properties"]["severity"])
    severity["enum"] = [*severity["enum"], "cosmetic"]
    schema = report_form(severity=severity)

    with unchanged():
        response = deploy(api, [("form", "issue_reported.json", form_bytes(schema))])

    problems = refused(response)
    assert len(problems) == 1 and "severity 'cosmetic' with 1, 999," in problems[0][1]
    assert {element for element, _ in problems} == {"priority.dmn"}


def test_a_free_text_severity_is_refused(api, unchanged):
    schema = report_form(severity={"type": "string", "maxLength": 20})

    with unchanged():
        problems = refused(
            deploy(api, [("form", "issue_reported.json", form_bytes(schema))])
        )

    assert problems == [
        (
            "issue_reported.json",
            "severity needs an enum of its choices, so that the priority table can "
            "be checked for each of them",
        )
    ]


@pytest.mark.parametrize(
    "content",
    [
        DMN.replace(b"1000", b"250"),
        DMN.replace(b"&gt;= 1000", b"? &gt;= 1000").replace(
            b"&lt; 1000", b"0 &lt; ? &lt; 1000"
        ),
    ],
    ids=["moved threshold", "question-mark ranges"],
)
def test_a_table_covering_every_report_is_deployed(api, content):
    response = table_only(api, content)

    assert response.status_code == 201, response.get_json()


def test_a_table_sent_with_another_replaces_the_held_one_of_its_decision(api):
    other = (
        DMN.replace(b'id="priority"', b'id="urgency"')
        .replace(b'dmnElementRef="priority"', b'dmnElementRef="urgency"')
        .replace(b'name="priority"', b'name="urgency"')
    )

    response = deploy(
        api,
        [
            ("dmn", "priority_2026.dmn", LOW_FOR_PARTIAL_FEW),
            ("dmn", "extra.dmn", other),
        ],
    )

    assert response.status_code == 201, response.get_json()
    files = api.get("/api/versions", "owner").get_json()["items"][0]["files"]
    assert {"priority_2026.dmn", "extra.dmn"} <= set(files)
    assert "priority.dmn" not in files


def test_a_table_too_large_to_check_is_refused_quickly(api, unchanged):
    start = DMN.index(b'<rule id="rule_minor_few">')
    end = DMN.index(b"</rule>", start) + len(b"</rule>")
    bands = b"".join(
        b'<rule id="band_%d"><inputEntry id="band_%d_s"><text>"minor"</text>'
        b'</inputEntry><inputEntry id="band_%d_a"><text>%d &lt;= ? &lt; %d</text>'
        b'</inputEntry><outputEntry id="band_%d_p"><text>"Low"</text></outputEntry>'
        b"</rule>" % (i, i, i, i * 3, i * 3 + 3, i)
        for i in range(1, 333)
    )
    banded = DMN[:start] + bands + DMN[end:]

    with unchanged():
        problems = refused(table_only(api, banded))

    assert len(problems) == 1 and "too many" in problems[0][1], problems
