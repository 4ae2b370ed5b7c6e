"""Query strings read one way everywhere: who may ask comes first, a parameter
given twice is refused, an empty one counts as not given."""

import pytest

from .paths import REPORT
from .steps import assert_error
from .test_pages import Browser


@pytest.mark.parametrize(
    "path",
    [
        "/api/stats/figures?since=garbage",
        "/api/stats/sla?since=2026-02-30",
        "/api/stats/backlog?priority=Nope",
        "/api/stats/activities",
    ],
)
def test_staff_hear_403_whatever_the_query_string_holds(api, path):
    assert_error(api.get(path, "levelone"), 403, "forbidden")


@pytest.mark.parametrize(
    "path, name",
    [
        ("/api/stats/backlog?priority=High&priority=Low", "priority"),
        ("/api/stats/sla?since=2026-01-01&since=bad", "since"),
        ("/api/cases?status=open&status=resolved", "status"),
    ],
)
def test_a_parameter_given_twice_is_refused(api, path, name):
    error = assert_error(api.get(path, "manager"), 400, "bad_request")

    assert error["fields"] == {name: ["Give this parameter once."]}


def test_an_empty_parameter_is_no_filter(api):
    number = api.report(REPORT)

    empty = api.get("/api/stats/backlog?firm=&priority=&status=", "manager")

    assert empty.status_code == 200, empty.get_json()
    assert [row["case_number"] for row in empty.get_json()["items"]] == [number]


@pytest.mark.parametrize("page", ["abc", "0", "-1", "1e3", "10000000"])
def test_outbox_page_numbers_that_are_not_pages_are_400(app, page):
    browser = Browser(app)
    browser.sign_in("manager")

    assert browser.get(f"/outbox?page={page}").status_code == 400
