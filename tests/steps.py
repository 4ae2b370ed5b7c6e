"""Shared test steps: valid task data, taking a case to a task, task calls, errors."""

from .paths import REPORT

TOO_LARGE = 4 * 1024 * 1024 + 1
FINDINGS = "internal: the Data team's lot matcher drops pre-2019 lots"
QUESTIONS = {"outcome": "needs_client_info", "questions": "Which custodian?"}
FIX = {
    "outcome": "fix_submitted",
    "root_cause": "Lot matcher ignored old lots.",
    "fix_description": "Matcher now reads every lot.",
}

# A valid completion of each task, for calls expected to be refused or to move on.
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

# Support fixes the setup, so the client is asked to review the resolution.
FIXED_BY_SUPPORT = [
    ("assess_issue", VALID["assess_issue"]),
    (
        "review_setup",
        {
            "resolvable_by_setup": True,
            "setup_change": "Re-linked the credential in AccountView.",
            "next_steps": "Confirm balances refresh overnight.",
        },
    ),
    ("review_resolution", VALID["review_resolution"]),
]


def engineering_route(group):
    """The decisions that take a case to `Engineering <group>` and its questions."""
    triage = {
        "outcome": "needs_engineering",
        "category": "other",
        "findings": FINDINGS,
        "engineering_group": group,
    }
    return [
        ("assess_issue", VALID["assess_issue"]),
        ("review_setup", VALID["review_setup"]),
        ("triage_investigate", triage),
        ("evaluate_scope", {"scope": "medium"}),
        ("research_fix", QUESTIONS),
        ("answer_questions", VALID["answer_questions"]),
    ]


def case_at(api, element, report=REPORT, group="Data"):
    """Report a case and take it to its ready task `element`; return its number."""
    if element == "review_resolution":
        route = FIXED_BY_SUPPORT
    else:
        route = engineering_route(group)
    number = api.report(report)
    for task, data in route:
        if task == element:
            return number
        response = api.complete(number, task, data)
        assert response.status_code == 200, (task, response.get_json())
    raise AssertionError(f"no route in these steps reaches {element}")


def at_task(api, element, report=REPORT, group="Data"):
    """A case of `report` whose ready task is `element`; return that task."""
    return api.ready_task(case_at(api, element, report, group), element)


def fixed_by(api, engineer):
    """A Data case whose fix `engineer` submitted; return its technical_review."""
    fix = at_task(api, "research_fix")
    assert complete(api, fix, engineer).status_code == 200
    return api.ready_task(fix["case_number"], "technical_review")


def without(mapping, name):
    return {key: value for key, value in mapping.items() if key != name}


def post_task(api, task, action, user, **body):
    """POST to `/api/tasks/<id>/<action>` as `user`, the body as given."""
    return api.post(f"/api/tasks/{task['id']}/{action}", user, **body)


def complete(api, task, user, data=None):
    """Complete `task` as `user` with `data`, by default a valid completion."""
    data = VALID[task["task"]] if data is None else data
    return post_task(api, task, "complete", user, json={"data": data})


def claim(api, task, user):
    return post_task(api, task, "claim", user)


def unclaim(api, task, user):
    return post_task(api, task, "unclaim", user)


def get_task(api, task, user):
    return api.get(f"/api/tasks/{task['id']}", user)


def assignee(api, task):
    return get_task(api, task, "manager").get_json()["assignee"]


def worklist(api, user, query=""):
    response = api.get(f"/api/tasks?per_page=200{query}", user)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def task_ids(api, user, query=""):
    return {task["id"] for task in worklist(api, user, query)}


def assert_error(response, status, code, fields=None):
    """The response is the one error shape with `status`, `code` and `fields`."""
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.is_json, response.content_type
    body = response.get_json()
    assert list(body) == ["error"]
    error = body["error"]
    assert set(error) <= {"code", "message", "fields", "problems"}
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    if fields is None:
        return error
    assert set(error["fields"]) == set(fields), error["fields"]
    for name, messages in error["fields"].items():
        assert messages and all(isinstance(m, str) and m for m in messages), name
    for name, message in fields.items():
        if message is not None:
            assert message in error["fields"][name], error["fields"][name]
    return error
