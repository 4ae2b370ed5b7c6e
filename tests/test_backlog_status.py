"""The backlog filtered by who a case waits on: staff (claimed or not) or the client."""

import pytest

from .steps import assert_error, case_at, claim
from .test_pages import Browser


@pytest.fixture
def waiting(api):
    """Three open cases: unclaimed at Support, claimed by Support, at the client."""
    unclaimed = case_at(api, "review_setup")
    claimed = case_at(api, "review_setup")
    task = api.ready_task(claimed, "review_setup")
    assert claim(api, task, "support").status_code == 200
    client = case_at(api, "answer_questions")
    return {"unclaimed": unclaimed, "claimed": claimed, "client": client}


def backlog(api, query=""):
    response = api.get(f"/api/stats/backlog{query}", "manager")
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


@pytest.mark.parametrize(
    "status, expected",
    [
        ("unclaimed", ["unclaimed"]),
        ("claimed", ["claimed"]),
        ("waiting_on_staff", ["unclaimed", "claimed"]),
        ("waiting_on_client", ["client"]),
    ],
)
def test_backlog_filters_by_status(api, waiting, status, expected):
    items = backlog(api, f"?status={status}")

    assert {item["case_number"] for item in items} == {
        waiting[name] for name in expected
    }
    assert all(status in item["statuses"] for item in items)


def test_each_backlog_row_says_who_the_case_waits_on(api, waiting):
    rows = {item["case_number"]: item for item in backlog(api)}

    assert rows[waiting["unclaimed"]]["statuses"] == ["waiting_on_staff", "unclaimed"]
    assert rows[waiting["claimed"]]["statuses"] == ["waiting_on_staff", "claimed"]
    assert rows[waiting["client"]]["statuses"] == ["waiting_on_client"]


def test_a_filtered_row_keeps_its_rank(api, waiting):
    ranks = {item["case_number"]: item["rank"] for item in backlog(api)}

    items = backlog(api, "?status=claimed")

    assert [item["rank"] for item in items] == [ranks[waiting["claimed"]]]


def test_an_unknown_status_is_refused(api, waiting, unchanged):
    with unchanged():
        response = api.get("/api/stats/backlog?status=stuck", "manager")
    assert_error(response, 400, "bad_request", fields={"status": None})


def test_backlog_page_filters_by_status_in_words(app, api, waiting):
    browser = Browser(app)
    browser.sign_in("manager")

    page = browser.get("/manage/backlog?status=waiting_on_client")
    csv_text = browser.get("/manage/backlog?status=unclaimed&format=csv")

    text = page.get_data(as_text=True)
    assert waiting["client"] in text and waiting["unclaimed"] not in text
    assert '<option value="waiting_on_client" selected>Waiting on the client' in text
    lines = csv_text.get_data(as_text=True).removeprefix("\ufeff").splitlines()
    assert "statuses" in lines[0].split(",")
    assert [line.split(",")[1] for line in lines[1:]] == [waiting["unclaimed"]]
    assert "waiting_on_staff; unclaimed" in lines[1]
    assert browser.get("/manage/backlog?status=stuck").status_code == 400
