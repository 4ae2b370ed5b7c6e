"""Opening a task shows its form, what the person needs to know, and clean answers."""

from .steps import FIXED_BY_SUPPORT, QUESTIONS, at_task, case_at, complete


def opened(api, task, user):
    response = api.get(f"/api/tasks/{task['id']}", user)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_client_sees_the_engineers_questions_beside_the_answer_form(api):
    task = at_task(api, "answer_questions")
    client = api.worker_for(task, task["case_number"])

    body = opened(api, task, client)

    assert body["context"]["questions"] == QUESTIONS["questions"]
    assert set(body["form"]["properties"]) == {"answers"}
    assert body["data"] == {}
    assert "findings" not in body["context"]
    assert body["instructions"]


def test_reviewer_sees_the_fix_under_review(api):
    fix = at_task(api, "research_fix")
    data = {
        "outcome": "fix_submitted",
        "root_cause": "Old lots.",
        "fix_description": "Read all lots.",
    }
    assert complete(api, fix, "data1", data).status_code == 200
    review = api.ready_task(fix["case_number"], "technical_review")

    body = opened(api, review, "data2")

    assert body["context"]["root_cause"] == "Old lots."
    assert body["context"]["fix_description"] == "Read all lots."


def test_assessment_is_prefilled_from_the_report(api):
    task = at_task(api, "assess_issue")

    body = opened(api, task, "levelone")

    assert body["data"] == {"severity": "partial", "accounts_impacted": 41}
    assert body["context"]["summary"].startswith("Brokerage custodian")


def test_reopened_case_starts_each_task_from_a_clean_form(api):
    number = case_at(api, "review_resolution")
    persists = {"problem_persists": True, "feedback": "Still stale."}
    assert api.complete(number, "review_resolution", persists).status_code == 200

    setup = api.ready_task(number, "review_setup")
    body = opened(api, setup, "support")
    assert "setup_change" not in body["data"]
    assert "resolvable_by_setup" not in body["data"]
    assert body["context"]["feedback"] == "Still stale."

    assert (
        api.complete(number, "review_setup", FIXED_BY_SUPPORT[1][1]).status_code == 200
    )
    review = api.ready_task(number, "review_resolution")
    client = api.worker_for(review, number)
    assert opened(api, review, client)["data"] == {}


def test_second_research_round_does_not_repeat_the_first_answers(api):
    task = at_task(api, "research_fix")
    assert complete(api, task, "data1", QUESTIONS).status_code == 200
    answer = api.ready_task(task["case_number"], "answer_questions")
    client = api.worker_for(answer, task["case_number"])
    assert complete(api, answer, client, {"answers": "Ending 2231."}).status_code == 200

    again = api.ready_task(task["case_number"], "research_fix")
    body = opened(api, again, "data1")

    assert "outcome" not in body["data"] and "questions" not in body["data"]
    assert body["context"]["answers"] == "Ending 2231."
