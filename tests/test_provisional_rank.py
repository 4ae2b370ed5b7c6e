"""Before the priority step, a case ranks by the priority its report implies,
the same in the worklist, the backlog and the process map."""

from .paths import REPORT
from .test_pages import Browser


def report(api, severity, accounts):
    return api.report({**REPORT, "severity": severity, "accounts_impacted": accounts})


def worklist_order(api, user):
    response = api.get("/api/tasks?task=assess_issue", user)
    assert response.status_code == 200
    return [item["case_number"] for item in response.get_json()["items"]]


def backlog(api, query=""):
    response = api.get(f"/api/stats/backlog{query}", "manager")
    assert response.status_code == 200
    return response.get_json()["items"]


def test_worklist_puts_an_unassessed_catastrophe_before_older_minor_reports(api):
    minor = report(api, "minor", 3)
    limited = report(api, "limited", 10)
    catastrophic = report(api, "catastrophic", 5)

    assert worklist_order(api, "levelone") == [catastrophic, limited, minor]
    items = api.get("/api/tasks?task=assess_issue", "levelone").get_json()["items"]
    assert [(i["priority"], i["ranked_priority"]) for i in items] == [
        (None, "Critical"),
        (None, "Medium"),
        (None, "Low"),
    ]
    assert [row["case_number"] for row in backlog(api)] == [
        catastrophic,
        limited,
        minor,
    ]


def test_backlog_filters_by_the_priority_a_case_ranks_by(api):
    report(api, "minor", 3)
    critical = report(api, "catastrophic", 5)

    rows = backlog(api, "?priority=Critical")

    assert [row["case_number"] for row in rows] == [critical]
    assert rows[0]["priority"] is None
    assert rows[0]["ranked_priority"] == "Critical"


def test_process_map_lists_an_activitys_cases_in_backlog_order(api):
    minor = report(api, "minor", 3)
    catastrophic = report(api, "catastrophic", 5)

    response = api.get("/api/stats/activities/assess_issue/cases", "manager")

    listed = [item["case_number"] for item in response.get_json()["items"]]
    assert listed == [catastrophic, minor]


def test_worklist_page_marks_a_report_implied_priority_as_provisional(api, app):
    report(api, "catastrophic", 5)
    browser = Browser(app)
    browser.sign_in("levelone")

    page = browser.get("/worklist").get_data(as_text=True)

    assert "p-critical provisional" in page
    assert "provisional</span>" in page


def test_cases_stored_before_ranking_by_report_are_ranked_at_start(app, api):
    from app import create_app
    from models import Case, Task, db

    number = report(api, "catastrophic", 5)
    with app.app_context():
        case = Case.query.filter_by(case_number=number).one()
        case.priority_rank = 4  # as an earlier release stored it
        Task.query.filter_by(case_id=case.id).update({"priority_rank": 4})
        db.session.commit()

    create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})

    with app.app_context():
        case = Case.query.filter_by(case_number=number).one()
        ranks = {task.priority_rank for task in Task.query.filter_by(case_id=case.id)}
        assert (case.priority_rank, ranks) == (0, {0})
