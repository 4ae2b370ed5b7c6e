"""A claim or hand-back racing a completion never leaves a task half-changed."""

import threading

import pytest

import engine

from .steps import VALID, at_task, claim, complete, unclaim


@pytest.fixture
def paused_completion(app, monkeypatch):
    """Run `other` while the first completion has loaded its task, then go on."""
    real = engine.complete_task
    hold = {}

    def complete_after_other(definition, state, task_id, data, key=None):
        other = hold.pop("other", None)
        if other is not None:
            done = []

            def run():
                with app.app_context():
                    done.append(other())

            thread = threading.Thread(target=run)
            thread.start()
            thread.join()
            hold["other_result"] = done[0]
        return real(definition, state, task_id, data, key)

    monkeypatch.setattr(engine, "complete_task", complete_after_other)
    return hold


def test_unclaim_during_a_completion_leaves_a_consistent_task(
    api, claimed, paused_completion
):
    paused_completion["other"] = lambda: unclaim(api, claimed, "support").status_code

    response = complete(api, claimed, "support")

    assert paused_completion["other_result"] == 200
    assert response.status_code == 200, response.get_json()
    history = api.case(claimed["case_number"])["history"]
    kinds = [e["kind"] for e in history if e["element"] == "review_setup"]
    assert kinds == ["claimed", "unclaimed", "task_completed"]
    task = api.get(f"/api/tasks/{claimed['id']}", "manager").get_json()
    assert (task["state"], task["assignee"]) == ("completed", "support")


def test_claim_during_a_completion_by_another_wins(api, paused_completion):
    task = at_task(api, "evaluate_scope")
    paused_completion["other"] = lambda: claim(api, task, "data2").status_code

    response = complete(api, task, "data1", VALID["evaluate_scope"])

    assert paused_completion["other_result"] == 200
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"
    assert api.completions(task["case_number"], "evaluate_scope") == []
    current = api.get(f"/api/tasks/{task['id']}", "manager").get_json()
    assert (current["state"], current["assignee"]) == ("ready", "data2")


def test_completion_before_a_claim_makes_the_claim_a_conflict(api):
    task = at_task(api, "evaluate_scope")
    assert complete(api, task, "data1", VALID["evaluate_scope"]).status_code == 200

    response = claim(api, task, "data2")

    assert response.status_code == 409
