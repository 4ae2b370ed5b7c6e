"""Lanes decide who works a task: groups, engineering, reviews, managers, claims."""

import pytest

from cli.users import add_user
from models import db

from .conftest import STAFF, token_of
from .paths import FIRM, OTHER_FIRM, OTHER_REPORT
from .steps import (
    FIX,
    VALID,
    assert_error,
    assignee,
    at_task,
    case_at,
    claim,
    complete,
    fixed_by,
    get_task,
    task_ids,
    unclaim,
    worklist,
)


def members_of(group):
    return [name for name, groups in STAFF.items() if group in groups]


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
    task = at_task(api, "evaluate_scope", group=group)
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
            assert_error(get_task(api, task, other), 403, "forbidden")
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
    task = at_task(api, "research_fix")

    assert task["group"] == "Engineering Data"
    for engineer in ("data1", "data2"):
        listed = worklist(api, engineer, "&task=research_fix")
        assert [t["id"] for t in listed] == [task["id"]]
    opened = get_task(api, task, "data1")
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
    number = case_at(api, "research_fix")
    task = api.ready_task(number, "research_fix")

    assert task["id"] not in task_ids(api, engineer)
    assert worklist(api, engineer, f"&case={number}") == []
    assert worklist(api, engineer, "&group=Engineering%20Data") == []
    with unchanged():
        assert_error(get_task(api, task, engineer), 403, "forbidden")
        assert_error(claim(api, task, engineer), 403, "forbidden")
        assert_error(complete(api, task, engineer), 403, "forbidden")
    assert api.ready_task(number, "research_fix")["assignee"] is None


def test_research_fix_returns_to_the_chosen_group_after_the_client_answers(api):
    number = case_at(api, "answer_questions")
    answered = api.complete(number, "answer_questions", VALID["answer_questions"])
    assert answered.status_code == 200, answered.get_json()

    task = api.ready_task(number, "research_fix")
    assert task["group"] == "Engineering Data"
    assert task["id"] in task_ids(api, "data1")
    assert task["id"] not in task_ids(api, "conn1")


# --- separation of duties: technical_review ---


def test_engineer_who_submitted_the_fix_cannot_do_its_technical_review(api, unchanged):
    review = fixed_by(api, "data1")
    number = review["case_number"]

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
    number = case_at(api, "research_fix")
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


def test_fixer_cannot_claim_the_review_of_their_own_fix(api, unchanged):
    review = fixed_by(api, "data1")

    with unchanged():
        assert_error(claim(api, review, "data1"), 403, "forbidden")
    assert claim(api, review, "data2").status_code == 200


# --- managers: read everything, work only in their groups ---


def test_manager_reads_every_case_and_every_task(api):
    cases = [
        at_task(api, "assess_issue"),
        at_task(api, "answer_questions", OTHER_REPORT),
        at_task(api, "review_resolution"),
    ]
    research = at_task(api, "research_fix", group="Exports")
    everything = cases + [research]

    listed = api.get("/api/cases?per_page=200", "manager").get_json()
    tasks = worklist(api, "manager")

    assert listed["total"] == 4
    assert {c["firm"] for c in listed["items"]} == {FIRM, OTHER_FIRM}
    assert {t["id"] for t in everything} <= {t["id"] for t in tasks}
    for task in everything:
        opened = get_task(api, task, "manager")
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


def test_process_owner_without_groups_gets_403_not_404_on_a_task(api):
    task = at_task(api, "assess_issue")

    assert_error(complete(api, task, "owner"), 403, "forbidden")
    assert api.get(f"/api/cases/{task['case_number']}", "owner").status_code == 200


# --- claims ---


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
