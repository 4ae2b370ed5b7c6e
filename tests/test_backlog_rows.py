"""What each backlog row says: whose queue a case waits in (never the client's),
each service-level clock's time used and left, and filters that show what they
apply."""

import csv
import io

from .paths import REPORT
from .steps import case_at
from .test_pages import Browser


def backlog(api, query=""):
    response = api.get(f"/api/stats/backlog{query}", "manager")
    assert response.status_code == 200
    return {row["case_number"]: row for row in response.get_json()["items"]}


def test_a_case_waiting_on_the_client_counts_its_engineering_groups_load(api):
    waiting = case_at(api, "answer_questions", group="Data")
    case_at(api, "answer_questions", group="Data")
    case_at(api, "research_fix", group="Data")

    row = backlog(api)[waiting]

    assert row["groups"] == ["Client"]
    assert "Engineering Data holds 1 open task" in row["reasons"]
    assert not any(reason.startswith("Client holds") for reason in row["reasons"])
    assert row["group_load"] == 1


def test_each_row_says_each_clocks_time_used_and_left(app, api):
    number = case_at(api, "review_setup")
    browser = Browser(app)
    browser.sign_in("manager")

    row = backlog(api)[number]
    page = browser.get("/manage/backlog").get_data(as_text=True)
    text = browser.get("/manage/backlog?format=csv").get_data(as_text=True)

    assert row["clocks"]["response"].startswith("met: ")
    assert row["clocks"]["resolution"].startswith("on track: ")
    assert " used, " in row["clocks"]["resolution"]
    assert row["clocks"]["resolution"].endswith(" left")
    assert f"Resolution: {row['clocks']['resolution']}" in page
    assert text.startswith("\ufeff")
    [exported] = list(csv.DictReader(io.StringIO(text[1:])))
    assert exported["response"] == row["clocks"]["response"]
    assert exported["resolution"] == row["clocks"]["resolution"]


def test_backlog_page_refuses_an_unknown_priority(app, api, unchanged):
    browser = Browser(app)
    browser.sign_in("manager")

    assert browser.get("/manage/backlog?priority=Nope").status_code == 400


def test_a_filter_no_open_case_matches_still_shows_as_chosen(app, api):
    api.report(REPORT)
    browser = Browser(app)
    browser.sign_in("manager")

    page = browser.get("/manage/backlog?firm=Gone%20Ltd").get_data(as_text=True)

    assert '<option value="Gone Ltd" selected>Gone Ltd</option>' in page
    assert "0 open cases" in page


def test_download_csv_is_part_of_the_filter_form(app, api):
    browser = Browser(app)
    browser.sign_in("manager")

    page = browser.get("/manage/backlog").get_data(as_text=True)

    assert '<button type="submit" name="format" value="csv"' in page
