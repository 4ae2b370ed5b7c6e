"""A reopened case starts its next round clean: the resolution email and the
client's confirmation speak of the round that resolved it, while Support still
reads why the client reopened."""

from models import Case, Email

from .paths import REPORT
from .steps import VALID

FIRST = "FIRST: fixed the translation rule."
SECOND = "SECOND: re-linked the credential in AccountView."


def emails(app, number, template):
    with app.app_context():
        case = Case.query.filter_by(case_number=number).one()
        rows = Email.query.filter_by(case_id=case.id, template=template)
        return [row.body for row in rows.order_by(Email.id)]


def complete(api, number, element, data):
    response = api.complete(number, element, data)
    assert response.status_code == 200, (element, response.get_json())


def test_the_second_round_says_what_was_done_then_and_not_before(app, api):
    number = api.report(REPORT)
    complete(api, number, "assess_issue", VALID["assess_issue"])
    complete(api, number, "review_setup", {"resolvable_by_setup": False})
    triage = {"outcome": "resolved", "category": "data_translation", "findings": "x"}
    complete(api, number, "triage_investigate", {**triage, "next_steps": "Wait."})
    complete(api, number, "close_case", {"resolution_summary": FIRST})
    persists = {"problem_persists": True, "feedback": "Still broken."}
    complete(api, number, "review_resolution", persists)

    setup = api.get(
        f"/api/tasks/{api.ready_task(number, 'review_setup')['id']}", "support"
    )
    body = setup.get_json()
    second = {
        "resolvable_by_setup": True,
        "setup_change": SECOND,
        "next_steps": "Check.",
    }
    complete(api, number, "review_setup", second)
    review = api.ready_task(number, "review_resolution")
    shown = api.get(f"/api/tasks/{review['id']}", api.client_of(REPORT["firm"]))
    complete(api, number, "review_resolution", {"problem_persists": False})

    assert body["context"]["feedback"] == "Still broken."
    assert "next_steps" not in body["data"]
    first, last = emails(app, number, "resolution")
    assert FIRST in first
    assert SECOND in last and FIRST not in last
    assert "resolution_summary" not in shown.get_json()["context"]
    [closed] = emails(app, number, "case_closed")
    assert "Still broken." not in closed
