"""Requests that reach the engine at the same moment, for race tests."""

import threading

import engine

from .conftest import token_of


def complete_together(app, monkeypatch, task_id, data, user, parties=2):
    """Post the completion of `task_id` from `parties` threads whose engine calls
    start together; return [(status code, body)] in the order they answered."""
    barrier = threading.Barrier(parties)
    real = engine.complete_task
    waited = threading.local()

    def complete(definition, state, task_id, data, key=None):
        if not getattr(waited, "done", False):
            waited.done = True
            barrier.wait(timeout=30)
        return real(definition, state, task_id, data, key)

    monkeypatch.setattr(engine, "complete_task", complete)
    results = []

    def post():
        response = app.test_client().post(
            f"/api/tasks/{task_id}/complete",
            json={"data": data},
            headers={"Authorization": f"Bearer {token_of(user)}"},
        )
        results.append((response.status_code, response.get_json()))

    threads = [threading.Thread(target=post) for _ in range(parties)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
