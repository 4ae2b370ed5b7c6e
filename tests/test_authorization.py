"""Lanes, engineering groups and firms decide who sees a case and who works a task."""

import json

import pytest

from cli.users import add_user
from models import db

from .conftest import STAFF, token_of
from .paths import FIRM, OTHER_FIRM, REPORT

FINDINGS = "internal: the Data team's lot matcher drops pre-2019 lots"

OTHER_REPORT = {
    **REPORT,
    "firm": OTHER_FIRM,
    "contact_name": "Sam Okafor",
    "contact_email": "sam.okafor@harborview.example",
    "summary": "DRIP shown as buy transactions",
}

ESCALATE = [
    ("assess_issue", {"aggregation_related": True}),
    ("review_setup", {"resolvable_by_setup": False}),
]
FIXED_BY_SUPPORT = [
    ("assess_issue", {"aggregation_related": True}),
    (
        "review_setup",
        {
            "resolvable_by_setup": True,
            "setup_change": "Re-linked the credential in AccountView.",
            "next_steps": "Confirm balances refresh overnight.",
        },
    ),
]
FIX = {
    "outcome": "fix_submitted",
    "root_cause": "Lot matcher ignored old lots.",
    "fix_description": "Matcher now reads every lot.",
}
QUESTIONS = {"outcome": "needs_client_info", "questions": "Which custodian?"}

# A valid completion of each task, for calls that are expected to be refused.
VALID = {
    "assess_issue": {"aggregation_related": True},
    "review_setup": {"resolvable_by_setup": False},
    "triage_investigate": {"outcome": "needs_engineering", "engineering_group": "Data"},
    "evaluate_scope": {"scope": "small"},
    "research_fix": FIX,
    "technical_review": {"approved": True},
    "answer_questions": {"answers": "The brokerage custodian."},
    "review_resolution": {"problem_persists": False},
}


def members_of(group):
    return [name for name, groups in STAFF.items() if group in groups]


def assert_error(response, status, code):
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    body = response.get_json()
    assert list(body) == ["error"]
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


def drive(api, number, steps):
    for element, data in steps:
        response = api.complete(number, element, data)
        assert response.status_code == 200, (element, response.get_json())


def triaged_to(api, group, report=REPORT, findings=FINDINGS):
    """A case Triage handed to `Engineering <group>`; evaluate_scope is ready."""
    number = api.report(report)
    decision = {
        "outcome": "needs_engineering",
        "category": "other",
        "findings": findings,
        "engineering_group": group,
    }
    drive(api, number, [*ESCALATE, ("triage_investigate", decision)])
    return number


def at_research_fix(api, group="Data", report=REPORT):
    number = triaged_to(api, group, report)
    drive(api, number, [("evaluate_scope", {"scope": "medium"})])
    return number


def at_answer_questions(api, report=REPORT):
    number = at_research_fix(api, "Data", report)
    drive(api, number, [("research_fix", QUESTIONS)])
    return number


def at_review_resolution(api, report=REPORT):
    number = api.report(report)
    drive(api, number, FIXED_BY_SUPPORT)
    return number


def at_task(api, element, report=REPORT):
    """A case of `report` whose ready task is `element`; return that task."""
    if element in ("assess_issue", "review_setup", "triage_investigate"):
        number = api.report(report)
        steps = [*ESCALATE, ("triage_investigate", None)]
        drive(api, number, steps[: [s[0] for s in steps].index(element)])
    elif element == "answer_questions":
        number = at_answer_questions(api, report)
    else:
        number = at_review_resolution(api, report)
    return api.ready_task(number, element)


def worklist(api, user, query=""):
    response = api.get(f"/api/tasks?per_page=200{query}", user)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def task_ids(api, user, query=""):
    return {task["id"] for task in worklist(api, user, query)}


def complete(api, task, user, data=None):
    data = VALID[task["task"]] if data is None else data
    return api.post(f"/api/tasks/{task['id']}/complete", user, json={"data": data})


def claim(api, task, user):
    return api.post(f"/api/tasks/{task['id']}/claim", user)


def unclaim(api, task, user):
    return api.post(f"/api/tasks/{task['id']}/unclaim", user)


def assignee(api, task):
    return api.get(f"/api/tasks/{task['id']}", "manager").get_json()["assignee"]


# --- lanes: only the task's group works it ---


@pytest.mark.parametrize(
    "element, member, outsiders",
    [
        ("assess_issue", "levelone", ["support", "triage", "conn1", "client"]),
        ("review_setup", "support", ["levelone", "triage", "data1", "client"]),
        ("triage_investigate", "triage", ["support", "levelone", "exports1"]),
    ],
)
def test_only_members_of_a_tasks_group_may_claim_or_complete_it(
    api, unchanged, element, member, outsiders
):
    task = at_task(api, element)
    outsiders = [api.client_of(FIRM) if u == "client" else u for u in outsiders]
    for outsider in outsiders:
        with unchanged():
            assert_error(claim(api, task, outsider), 403, "forbidden")
            assert_error(complete(api, task, outsider), 403, "forbidden")
        assert task["id"] not in task_ids(api, outsider)

    assert task["id"] in task_ids(api, member)
    assert claim(api, task, member).status_code == 200
    response = complete(api, task, member)
    assert response.status_code == 200, response.get_json()
    assert element not in [t["task"] for t in response.get_json()["next_tasks"]]


# --- engineering: the group Triage chose ---


@pytest.mark.parametrize("group", ["Connectivity", "Data", "Exports"])
def test_engineering_tasks_go_to_the_group_triage_chose(api, unchanged, group):
    number = triaged_to(api, group)
    task = api.ready_task(number, "evaluate_scope")
    chosen = members_of(f"Engineering {group}")
    others = [
        name
        for name, groups in STAFF.items()
        if any(g.startswith("Engineering ") for g in groups) and name not in chosen
    ]

    assert task["group"] == f"Engineering {group}"
    for member in chosen:
        assert task["id"] in task_ids(api, member)
    for other in others:
        assert task["id"] not in task_ids(api, other)
        with unchanged():
            assert_error(api.get(f"/api/tasks/{task['id']}", other), 403, "forbidden")
            assert_error(claim(api, task, other), 403, "forbidden")
            assert_error(complete(api, task, other), 403, "forbidden")
    response = complete(api, task, chosen[0])
    assert response.status_code == 200, response.get_json()
    assert [(t["task"], t["group"]) for t in response.get_json()["next_tasks"]] == [
        ("research_fix", f"Engineering {group}")
    ]


def test_data_engineers_see_and_complete_research_fix_of_a_case_triaged_to_data(
    api, unchanged
):
    number = at_research_fix(api, "Data")
    task = api.ready_task(number, "research_fix")

    assert task["group"] == "Engineering Data"
    for engineer in ("data1", "data2"):
        listed = worklist(api, engineer, "&task=research_fix")
        assert [t["id"] for t in listed] == [task["id"]]
    opened = api.get(f"/api/tasks/{task['id']}", "data1")
    assert opened.status_code == 200
    assert opened.get_json()["form"]["title"] == "Research and fix"
    response = complete(api, task, "data2")
    assert response.status_code == 200, response.get_json()
    assert [t["task"] for t in response.get_json()["next_tasks"]] == [
        "technical_review"
    ]


@pytest.mark.parametrize("engineer", ["conn1", "conn2", "exports1"])
def test_other_engineering_groups_neither_see_nor_complete_research_fix(
    api, unchanged, engineer
):
    number = at_research_fix(api, "Data")
    task = api.ready_task(number, "research_fix")

    assert task["id"] not in task_ids(api, engineer)
    assert worklist(api, engineer, f"&case={number}") == []
    assert worklist(api, engineer, "&group=Engineering%20Data") == []
    with unchanged():
        assert_error(api.get(f"/api/tasks/{task['id']}", engineer), 403, "forbidden")
        assert_error(claim(api, task, engineer), 403, "forbidden")
        assert_error(complete(api, task, engineer), 403, "forbidden")
    assert api.ready_task(number, "research_fix")["assignee"] is None


def test_research_fix_returns_to_the_chosen_group_after_the_client_answers(api):
    number = at_answer_questions(api)
    drive(api, number, [("answer_questions", VALID["answer_questions"])])

    task = api.ready_task(number, "research_fix")
    assert task["group"] == "Engineering Data"
    assert task["id"] in task_ids(api, "data1")
    assert task["id"] not in task_ids(api, "conn1")


# --- separation of duties: technical_review ---


def test_engineer_who_submitted_the_fix_cannot_do_its_technical_review(api, unchanged):
    number = at_research_fix(api, "Data")
    fix = api.ready_task(number, "research_fix")
    assert complete(api, fix, "data1").status_code == 200
    review = api.ready_task(number, "technical_review")

    with unchanged():
        refused = complete(api, review, "data1", {"approved": True})
    assert_error(refused, 403, "forbidden")
    assert api.ready_task(number, "technical_review")["id"] == review["id"]

    response = complete(api, review, "data2", {"approved": True})
    assert response.status_code == 200, response.get_json()
    assert [t["task"] for t in response.get_json()["next_tasks"]] == ["verify_fix"]
    reviews = api.completions(number, "technical_review")
    assert [(e["actor"], e["data"]) for e in reviews] == [("data2", {"approved": True})]


def test_technical_review_separation_follows_the_latest_fix(api, unchanged):
    number = at_research_fix(api, "Data")
    drive_as = [
        ("research_fix", FIX, "data1"),
        ("technical_review", {"approved": False, "review_notes": "No test."}, "data2"),
        ("research_fix", FIX, "data2"),
    ]
    for element, data, user in drive_as:
        task = api.ready_task(number, element)
        assert complete(api, task, user, data).status_code == 200
    review = api.ready_task(number, "technical_review")

    with unchanged():
        assert_error(
            complete(api, review, "data2", {"approved": True}), 403, "forbidden"
        )
    assert complete(api, review, "data1", {"approved": True}).status_code == 200


# --- clients: only the case's firm ---


@pytest.mark.parametrize("element", ["answer_questions", "review_resolution"])
def test_client_tasks_go_only_to_clients_of_the_cases_firm(api, unchanged, element):
    task = at_task(api, element)
    own = api.client_of(FIRM)
    stranger = api.client_of(OTHER_FIRM)

    assert task["group"] == "Client"
    assert task["id"] in task_ids(api, own)
    assert task["id"] not in task_ids(api, stranger)
    assert task["id"] in [
        t["id"] for t in api.case(task["case_number"], own)["current_tasks"]
    ]
    with unchanged():
        assert_error(api.get(f"/api/tasks/{task['id']}", stranger), 404, "not_found")
        assert_error(claim(api, task, stranger), 404, "not_found")
        assert_error(complete(api, task, stranger), 404, "not_found")
        for staff in ("levelone", "support", "triage", "data1", "manager"):
            assert_error(complete(api, task, staff), 403, "forbidden")
            assert task["id"] not in task_ids(api, staff) or staff == "manager"
    response = complete(api, task, own)
    assert response.status_code == 200, response.get_json()


def test_any_client_of_the_cases_firm_may_answer_its_questions(app, api):
    task = at_task(api, "answer_questions")
    with app.app_context():
        add_user("colleague", ["Client"], firm=FIRM, token=token_of("colleague"))
        db.session.commit()

    response = complete(api, task, "colleague")

    assert response.status_code == 200, response.get_json()
    answered = api.completions(task["case_number"], "answer_questions")
    assert [e["actor"] for e in answered] == ["colleague"]


def test_client_cannot_see_other_firms_case(api, unchanged):
    number = api.report(REPORT)
    stranger = api.client_of(OTHER_FIRM)
    missing = "CP-999999"

    with unchanged():
        hidden = api.get(f"/api/cases/{number}", stranger)
        unknown = api.get(f"/api/cases/{missing}", stranger)

    assert_error(hidden, 404, "not_found")
    assert_error(unknown, 404, "not_found")
    assert hidden.content_type == unknown.content_type
    assert (
        json.loads(hidden.get_data(as_text=True).replace(number, missing))
        == unknown.get_json()
    )
    assert api.get(f"/api/cases/{number}", api.client_of(FIRM)).status_code == 200


def test_client_cannot_see_other_firms_task(api, unchanged):
    task = at_task(api, "review_resolution")
    stranger = api.client_of(OTHER_FIRM)
    made_up = task["id"][:-4] + "0000"

    with unchanged():
        hidden = api.get(f"/api/tasks/{task['id']}", stranger)
        unknown = api.get(f"/api/tasks/{made_up}", stranger)

    assert_error(hidden, 404, "not_found")
    assert (
        json.loads(hidden.get_data(as_text=True).replace(task["id"], made_up))
        == unknown.get_json()
    )


def test_client_lists_only_its_firms_cases(api):
    mine = {api.report(REPORT), api.report({**REPORT, "summary": "Second"})}
    theirs = api.report(OTHER_REPORT)
    client = api.client_of(FIRM)

    listed = api.get("/api/cases?per_page=200", client).get_json()
    filtered = api.get(f"/api/cases?firm={OTHER_FIRM}", client).get_json()
    everything = api.get("/api/cases?per_page=200", "manager").get_json()

    assert {c["case_number"] for c in listed["items"]} == mine
    assert listed["total"] == 2
    assert {c["firm"] for c in listed["items"]} == {FIRM}
    assert (filtered["items"], filtered["total"]) == ([], 0)
    assert theirs in {c["case_number"] for c in everything["items"]}
    assert everything["total"] == 3
    other = api.get("/api/cases", api.client_of(OTHER_FIRM)).get_json()
    assert [c["case_number"] for c in other["items"]] == [theirs]


def test_client_worklist_shows_only_its_firms_client_tasks(api):
    mine = at_task(api, "review_resolution")
    theirs = at_task(api, "review_resolution", OTHER_REPORT)
    at_task(api, "assess_issue")  # a staff task of the same firm
    client = api.client_of(FIRM)

    listed = worklist(api, client)

    assert [(t["id"], t["firm"], t["group"]) for t in listed] == [
        (mine["id"], FIRM, "Client")
    ]
    assert worklist(api, client, f"&case={theirs['case_number']}") == []
    assert worklist(api, client, "&group=Level%20One") == []
    assert worklist(api, client, "&state=completed") == []
    other = worklist(api, api.client_of(OTHER_FIRM))
    assert [t["id"] for t in other] == [theirs["id"]]


def test_client_view_of_history_leaves_out_internal_tasks_data(api, unchanged):
    number = at_answer_questions(api)
    client = api.client_of(FIRM)
    triage = worklist(
        api, "manager", f"&case={number}&task=triage_investigate&state=completed"
    )[0]

    staff_view = api.case(number, "manager")
    client_view = api.case(number, client)

    staff_elements = {e["element"] for e in staff_view["history"]}
    assert {"triage_investigate", "research_fix"} <= staff_elements
    assert FINDINGS in json.dumps(staff_view)
    assert FINDINGS not in json.dumps(client_view)
    assert QUESTIONS["questions"] not in json.dumps(client_view)
    client_kinds = {e["kind"] for e in client_view["history"]}
    assert "reported" in client_kinds
    assert "task_completed" not in client_kinds
    assert "step" not in client_kinds and "claimed" not in client_kinds
    with unchanged():
        assert_error(api.get(f"/api/tasks/{triage['id']}", client), 403, "forbidden")
    opened = api.get(
        f"/api/tasks/{api.ready_task(number, 'answer_questions')['id']}", client
    ).get_json()
    assert set(opened["data"]) <= {"answers"}
    assert FINDINGS not in json.dumps(opened)

    assert (
        complete(api, api.ready_task(number, "answer_questions"), client).status_code
        == 200
    )
    after = api.case(number, client)
    completed = [e for e in after["history"] if e["kind"] == "task_completed"]
    assert [(e["element"], e["data"]) for e in completed] == [
        ("answer_questions", VALID["answer_questions"])
    ]
    assert FINDINGS not in json.dumps(after)


# --- managers: read everything, work only in their groups ---


def test_manager_reads_every_case_and_every_task(api):
    cases = [
        at_task(api, "assess_issue"),
        at_task(api, "answer_questions", OTHER_REPORT),
        at_task(api, "review_resolution"),
    ]
    research = api.ready_task(at_research_fix(api, "Exports"), "research_fix")
    everything = cases + [research]

    listed = api.get("/api/cases?per_page=200", "manager").get_json()
    tasks = worklist(api, "manager")

    assert listed["total"] == 4
    assert {c["firm"] for c in listed["items"]} == {FIRM, OTHER_FIRM}
    assert {t["id"] for t in everything} <= {t["id"] for t in tasks}
    for task in everything:
        opened = api.get(f"/api/tasks/{task['id']}", "manager")
        assert opened.status_code == 200
        assert opened.get_json()["form"]["properties"]
        detail = api.get(f"/api/cases/{task['case_number']}", "manager")
        assert detail.status_code == 200
        assert task["id"] in [t["id"] for t in detail.get_json()["current_tasks"]]


@pytest.mark.parametrize(
    "element", ["assess_issue", "review_setup", "answer_questions", "review_resolution"]
)
def test_manager_cannot_claim_or_complete_a_task_outside_its_groups(
    api, unchanged, element
):
    task = at_task(api, element)

    with unchanged():
        assert_error(claim(api, task, "manager"), 403, "forbidden")
        assert_error(complete(api, task, "manager"), 403, "forbidden")

    assert api.ready_task(task["case_number"], element)["id"] == task["id"]


def test_manager_in_a_group_may_complete_that_groups_tasks(app, api, unchanged):
    with app.app_context():
        add_user("lead", ["Support"], manager=True, token=token_of("lead"))
        db.session.commit()
    task = at_task(api, "review_setup")

    response = complete(api, task, "lead")

    assert response.status_code == 200, response.get_json()
    triage = api.ready_task(task["case_number"], "triage_investigate")
    with unchanged():
        assert_error(complete(api, triage, "lead"), 403, "forbidden")


# --- claims ---


@pytest.fixture
def claimed(api):
    """review_setup of a new case, claimed by `support`."""
    task = at_task(api, "review_setup")
    response = claim(api, task, "support")
    assert response.status_code == 200
    assert response.get_json()["assignee"] == "support"
    return task


def test_claimed_task_can_be_completed_only_by_its_assignee(api, unchanged, claimed):
    with unchanged():
        assert_error(complete(api, claimed, "support2"), 403, "forbidden")
        assert_error(claim(api, claimed, "support2"), 409, "conflict")
    assert claimed["id"] in task_ids(api, "support2")

    response = complete(api, claimed, "support")

    assert response.status_code == 200, response.get_json()
    completed = api.completions(claimed["case_number"], "review_setup")
    assert [e["actor"] for e in completed] == ["support"]


def test_claimed_task_shows_in_its_assignees_own_worklist(api, claimed):
    assert task_ids(api, "support", "&mine=true") == {claimed["id"]}
    assert task_ids(api, "support2", "&mine=true") == set()


def test_assignee_can_unclaim_and_then_another_member_can_claim(api, claimed):
    response = unclaim(api, claimed, "support")

    assert response.status_code == 200
    assert response.get_json()["assignee"] is None
    assert assignee(api, claimed) is None
    taken = claim(api, claimed, "support2")
    assert taken.status_code == 200
    assert taken.get_json()["assignee"] == "support2"
    assert complete(api, claimed, "support2").status_code == 200


@pytest.mark.parametrize("user", ["support2", "triage", "levelone"])
def test_another_user_cannot_unclaim_a_claimed_task(api, unchanged, claimed, user):
    with unchanged():
        assert_error(unclaim(api, claimed, user), 403, "forbidden")

    assert assignee(api, claimed) == "support"


# --- reporting ---


@pytest.mark.parametrize("firm", [FIRM, OTHER_FIRM, "A firm with no users yet"])
def test_level_one_can_report_for_any_firm(api, firm):
    response = api.post("/api/cases", "levelone", json={**REPORT, "firm": firm})

    assert response.status_code == 201, response.get_json()
    number = response.get_json()["case_number"]
    assert response.get_json()["firm"] == firm
    assert api.get(f"/api/cases/{number}", api.client_of(firm)).status_code == 200
    outsider = OTHER_FIRM if firm != OTHER_FIRM else FIRM
    assert_error(
        api.get(f"/api/cases/{number}", api.client_of(outsider)), 404, "not_found"
    )


def test_client_report_without_a_firm_gets_its_own_firm(api):
    client = api.client_of(OTHER_FIRM)
    report = {k: v for k, v in OTHER_REPORT.items() if k != "firm"}

    response = api.post("/api/cases", client, json=report)

    assert response.status_code == 201, response.get_json()
    number = response.get_json()["case_number"]
    assert response.get_json()["firm"] == OTHER_FIRM
    assert api.case(number)["firm"] == OTHER_FIRM
    assert_error(api.get(f"/api/cases/{number}", api.client_of(FIRM)), 404, "not_found")


def test_client_cannot_report_for_another_firm(api, unchanged):
    client = api.client_of(FIRM)
    with unchanged():
        response = api.post("/api/cases", client, json=OTHER_REPORT)
    assert_error(response, 403, "forbidden")


@pytest.mark.parametrize("user", ["support", "triage", "data1", "manager"])
def test_only_clients_and_level_one_report_issues(api, unchanged, user):
    with unchanged():
        response = api.post("/api/cases", user, json=REPORT)
    assert_error(response, 403, "forbidden")


def test_fixer_cannot_claim_the_review_of_their_own_fix(api, unchanged):
    number = at_research_fix(api, "Data")
    fix = api.ready_task(number, "research_fix")
    assert complete(api, fix, "data1").status_code == 200
    review = api.ready_task(number, "technical_review")

    with unchanged():
        assert_error(claim(api, review, "data1"), 403, "forbidden")
    assert claim(api, review, "data2").status_code == 200


def test_process_owner_without_groups_gets_403_not_404_on_a_task(api):
    task = at_task(api, "assess_issue")

    assert_error(complete(api, task, "owner"), 403, "forbidden")
    assert api.get(f"/api/cases/{task['case_number']}", "owner").status_code == 200
