"""Staff record +1s: another firm says a case's problem affects it too."""

import pytest

from .paths import OTHER_REPORT, REPORT
from .steps import FIXED_BY_SUPPORT, assert_error, case_at

OTHER_FIRM = OTHER_REPORT["firm"]


def plus_one(api, case_number, firm, user="levelone"):
    return api.post(f"/api/cases/{case_number}/plus-ones", user, json={"firm": firm})


@pytest.fixture
def case_number(api):
    api.report(OTHER_REPORT)  # makes the other firm known
    return case_at(api, "review_setup")


def test_staff_record_a_plus_one_from_another_firm(api, case_number):
    response = plus_one(api, case_number, f"  {OTHER_FIRM} ")

    assert response.status_code == 201, response.get_json()
    [item] = response.get_json()["items"]
    assert (item["firm"], item["recorded_by"]) == (OTHER_FIRM, "levelone")
    detail = api.case(case_number)
    assert detail["plus_ones"] == 1
    assert detail["history"][-1]["kind"] == "plus_one"


@pytest.mark.parametrize(
    "firm, message",
    [
        ("", "Give the firm's name"),
        ("x" * 121, "at most 120"),
        (REPORT["firm"], "the case's own firm"),
        ("Nobody Ever Capital", "not a firm casepath knows"),
    ],
    ids=["empty", "too long", "own firm", "unknown firm"],
)
def test_unfit_firms_are_refused(api, case_number, unchanged, firm, message):
    with unchanged():
        response = plus_one(api, case_number, firm)

    error = assert_error(response, 422, "invalid")
    assert message in error["fields"]["firm"][0]


def test_a_firm_counts_once_per_case(api, case_number, unchanged):
    assert plus_one(api, case_number, OTHER_FIRM).status_code == 201

    with unchanged():
        again = plus_one(api, case_number, OTHER_FIRM, user="support")

    assert "already" in assert_error(again, 409, "conflict")["message"]


def test_resolved_cases_take_no_plus_ones(api, unchanged):
    api.report(OTHER_REPORT)
    number = api.report(REPORT)
    for element, data in FIXED_BY_SUPPORT:
        assert api.complete(number, element, data).status_code == 200

    with unchanged():
        response = plus_one(api, number, OTHER_FIRM)

    assert_error(response, 409, "conflict")


def test_clients_neither_add_nor_see_which_firms_added(api, case_number, unchanged):
    assert plus_one(api, case_number, OTHER_FIRM).status_code == 201
    own_client = api.client_of(REPORT["firm"])
    other_client = api.client_of(OTHER_FIRM)

    with unchanged():
        own = plus_one(api, case_number, OTHER_FIRM, user=own_client)
        other = plus_one(api, case_number, OTHER_FIRM, user=other_client)

    assert_error(own, 403, "forbidden")
    assert_error(other, 404, "not_found")
    seen = api.get(f"/api/cases/{case_number}", own_client).get_json()
    assert OTHER_FIRM not in str(seen["history"])


@pytest.mark.parametrize("body", [{}, {"firm": 7}, {"firm": None}])
def test_malformed_plus_ones_are_refused(api, case_number, unchanged, body):
    with unchanged():
        response = api.post(f"/api/cases/{case_number}/plus-ones", "support", json=body)

    assert_error(response, 400, "bad_request")


def test_staff_add_a_plus_one_on_the_case_page(api, app, case_number):
    from .test_pages import Browser

    page = Browser(app)
    page.sign_in("support")
    path = f"/cases/{case_number}"

    refused = page.post(f"{path}/plus-ones", {"firm": "Nobody"}, token_from=path)
    added = page.post(f"{path}/plus-ones", {"firm": OTHER_FIRM}, token_from=path)

    assert refused.status_code == 422
    assert "not a firm casepath knows" in refused.get_data(as_text=True)
    assert added.status_code == 302
    shown = page.get(path).get_data(as_text=True)
    assert f'data-plus-one="{OTHER_FIRM}"' in shown


def test_plus_ones_lift_a_case_among_those_of_its_day_in_the_backlog(api, case_number):
    newer = case_at(api, "review_setup")

    def order():
        rows = api.get("/api/stats/backlog?lane=Support", "manager").get_json()
        return [row["case_number"] for row in rows["items"]]

    before = order()
    assert plus_one(api, newer, OTHER_FIRM).status_code == 201
    after = order()

    assert before.index(case_number) < before.index(newer)
    assert after.index(newer) < after.index(case_number)
    rows = api.get("/api/stats/backlog", "manager").get_json()["items"]
    [row] = [row for row in rows if row["case_number"] == newer]
    assert row["plus_ones"] == 1
    assert "+1 from 1 other firm" in row["reasons"]
