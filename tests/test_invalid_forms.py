"""Form data that breaks a form is refused with 422 and names each bad field."""

import pytest

from .paths import REPORT
from .steps import assert_error, at_task, complete, without

REPORT_INVALID = [
    pytest.param(
        without(REPORT, "summary"),
        {"summary": "This field is required."},
        id="missing-summary",
    ),
    pytest.param(
        without(REPORT, "accounts_impacted"),
        {"accounts_impacted": "This field is required."},
        id="missing-accounts_impacted",
    ),
    pytest.param(
        without(without(REPORT, "severity"), "contact_email"),
        {
            "severity": "This field is required.",
            "contact_email": "This field is required.",
        },
        id="missing-two-fields",
    ),
    pytest.param(
        {**REPORT, "accounts_impacted": "many"},
        {"accounts_impacted": "Must be a whole number."},
        id="accounts_impacted-text",
    ),
    pytest.param(
        {**REPORT, "accounts_impacted": 2.5},
        {"accounts_impacted": "Must be a whole number."},
        id="accounts_impacted-fraction",
    ),
    pytest.param(
        {**REPORT, "accounts_impacted": True},
        {"accounts_impacted": "Must be a whole number."},
        id="accounts_impacted-boolean",
    ),
    pytest.param(
        {**REPORT, "accounts_impacted": 0},
        {"accounts_impacted": "Must be at least 1."},
        id="accounts_impacted-zero",
    ),
    pytest.param(
        {**REPORT, "summary": 42}, {"summary": "Must be text."}, id="summary-number"
    ),
    pytest.param(
        {**REPORT, "severity": "apocalyptic"}, {"severity": None}, id="severity-unknown"
    ),
    pytest.param(
        {**REPORT, "severity": "Partial"}, {"severity": None}, id="severity-wrong-case"
    ),
    pytest.param(
        {**REPORT, "summary": "x" * 201},
        {"summary": "At most 200 characters."},
        id="summary-too-long",
    ),
    pytest.param(
        {**REPORT, "description": "x" * 5001},
        {"description": "At most 5000 characters."},
        id="description-too-long",
    ),
    pytest.param(
        {**REPORT, "summary": ""},
        {"summary": "This field is required."},
        id="summary-empty",
    ),
    pytest.param(
        {**REPORT, "contact_email": "dana at northbridge"},
        {"contact_email": "Must be a valid email address."},
        id="email-malformed",
    ),
    pytest.param(
        {**REPORT, "priority": "Critical"},
        {"priority": "This form has no such field."},
        id="field-not-on-form",
    ),
    pytest.param(
        {**REPORT, "case_number": "CP-999999"},
        {"case_number": "This form has no such field."},
        id="case_number-not-on-form",
    ),
]


@pytest.mark.parametrize("report, fields", REPORT_INVALID)
def test_invalid_report_is_refused_with_field_errors(
    api, unchanged, reporter, report, fields
):
    with unchanged():
        response = api.post("/api/cases", reporter, json=report)
    assert_error(response, 422, "invalid", fields)


def test_severity_error_lists_the_choices(api, unchanged, reporter):
    with unchanged():
        response = api.post("/api/cases", reporter, json={**REPORT, "severity": "bad"})
    error = assert_error(response, 422, "invalid", {"severity": None})
    assert error["fields"]["severity"] == [
        "Must be one of: catastrophic, partial, limited, minor."
    ]


def test_level_one_report_with_a_firm_that_is_not_text_is_invalid(api, unchanged):
    with unchanged():
        response = api.post("/api/cases", "levelone", json={**REPORT, "firm": 7})
    assert_error(response, 422, "invalid", {"firm": "Must be text."})


def test_level_one_report_without_a_firm_is_invalid(api, unchanged):
    with unchanged():
        response = api.post("/api/cases", "levelone", json=without(REPORT, "firm"))
    assert_error(response, 422, "invalid", {"firm": "This field is required."})


ASSESS_INVALID = [
    pytest.param(
        {}, {"aggregation_related": "This field is required."}, id="missing-required"
    ),
    pytest.param(
        {"assessment_notes": "checked"},
        {"aggregation_related": "This field is required."},
        id="missing-required-with-optional",
    ),
    pytest.param(
        {"aggregation_related": "yes"},
        {"aggregation_related": "Must be true or false."},
        id="boolean-as-text",
    ),
    pytest.param(
        {"aggregation_related": 1},
        {"aggregation_related": "Must be true or false."},
        id="boolean-as-number",
    ),
    pytest.param(
        {"aggregation_related": True, "accounts_impacted": "many"},
        {"accounts_impacted": "Must be a whole number."},
        id="integer-as-text",
    ),
    pytest.param(
        {"aggregation_related": True, "severity": "apocalyptic"},
        {"severity": None},
        id="enum-unknown",
    ),
    pytest.param(
        {"aggregation_related": True, "assessment_notes": "x" * 5001},
        {"assessment_notes": "At most 5000 characters."},
        id="text-too-long",
    ),
    pytest.param(
        {"aggregation_related": True, "priority": "Critical"},
        {"priority": "This form has no such field."},
        id="field-not-on-form",
    ),
    pytest.param(
        {"aggregation_related": True, "resolution_path": "support"},
        {"resolution_path": "This form has no such field."},
        id="process-variable-not-on-form",
    ),
    pytest.param(
        {"aggregation_related": "yes", "accounts_impacted": 0},
        {
            "aggregation_related": "Must be true or false.",
            "accounts_impacted": "Must be at least 1.",
        },
        id="two-fields-wrong",
    ),
]


@pytest.mark.parametrize("data, fields", ASSESS_INVALID)
def test_invalid_task_data_is_refused_with_field_errors(
    api, unchanged, assess_task, data, fields
):
    with unchanged():
        response = complete(api, assess_task, "levelone", data)
    assert_error(response, 422, "invalid", fields)


CONDITIONAL = [
    pytest.param(
        "research_fix",
        {"outcome": "needs_client_info"},
        {"questions": "This field is required."},
        id="research_fix-questions",
    ),
    pytest.param(
        "research_fix",
        {"outcome": "needs_client_info", "questions": ""},
        {"questions": "This field is required."},
        id="research_fix-empty-questions",
    ),
    pytest.param(
        "research_fix",
        {"outcome": "fix_submitted", "root_cause": "cache"},
        {"fix_description": "This field is required."},
        id="research_fix-fix_description",
    ),
    pytest.param(
        "research_fix",
        {"outcome": "fix_submitted"},
        {
            "root_cause": "This field is required.",
            "fix_description": "This field is required.",
        },
        id="research_fix-root_cause-and-fix",
    ),
    pytest.param(
        "research_fix",
        {"outcome": "escalated"},
        {"outcome": None},
        id="research_fix-unknown-outcome",
    ),
    pytest.param(
        "triage_investigate",
        {"outcome": "needs_engineering"},
        {"engineering_group": "This field is required."},
        id="triage-engineering_group",
    ),
    pytest.param(
        "triage_investigate",
        {"outcome": "needs_engineering", "engineering_group": "Billing"},
        {"engineering_group": None},
        id="triage-unknown-group",
    ),
    pytest.param(
        "triage_investigate",
        {"outcome": "resolved"},
        {"next_steps": "This field is required."},
        id="triage-next_steps",
    ),
    pytest.param(
        "review_setup",
        {"resolvable_by_setup": True},
        {
            "setup_change": "This field is required.",
            "next_steps": "This field is required.",
        },
        id="review_setup-setup_change",
    ),
]


@pytest.mark.parametrize("element, data, fields", CONDITIONAL)
def test_conditionally_required_field_is_named_when_missing(
    api, unchanged, element, data, fields
):
    task = at_task(api, element)
    worker = api.worker_for(task, task["case_number"])
    with unchanged():
        response = complete(api, task, worker, data)
    assert_error(response, 422, "invalid", fields)


@pytest.mark.parametrize(
    "email", ["@", "a@b", "a@b.c\r\nBcc: x@y.z", "two words@firm.example"]
)
def test_contact_email_must_be_one_plain_address(api, unchanged, reporter, email):
    with unchanged():
        response = api.post(
            "/api/cases", reporter, json={**REPORT, "contact_email": email}
        )
    assert_error(
        response, 422, "invalid", {"contact_email": "Must be a valid email address."}
    )


def test_text_of_only_spaces_counts_as_missing(api, unchanged, reporter):
    with unchanged():
        response = api.post("/api/cases", reporter, json={**REPORT, "summary": "   "})
    assert_error(response, 422, "invalid", {"summary": "This field is required."})


def test_report_text_is_trimmed_so_the_firm_matches_its_clients(api):
    number = api.report({**REPORT, "firm": f"  {REPORT['firm']} "}, user="levelone")
    case = api.case(number)
    assert case["firm"] == REPORT["firm"]
    client = api.client_of(REPORT["firm"])
    assert api.get(f"/api/cases/{number}", client).status_code == 200


def test_client_report_with_a_firm_that_is_not_text_is_invalid(
    api, unchanged, reporter
):
    with unchanged():
        response = api.post("/api/cases", reporter, json={**REPORT, "firm": 5})
    assert_error(response, 422, "invalid", {"firm": None})
