"""A bad contact email gets one message, in the API's field errors and on the
client portal's report form alike."""

import pytest

from casework.errors import Invalid
from casework.forms import validate_form

from .paths import REPORT
from .test_pages import Browser

ONE_MESSAGE = ["Must be a valid email address."]
# Each fails both the field's format and its pattern, or only the pattern.
BAD_ADDRESSES = ["dana at northbridge", "@", "a@b", "two words@firm.example"]


@pytest.mark.parametrize("email", BAD_ADDRESSES)
def test_api_gives_a_bad_email_one_message(api, unchanged, reporter, email):
    with unchanged():
        response = api.post(
            "/api/cases", reporter, json={**REPORT, "contact_email": email}
        )

    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"contact_email": ONE_MESSAGE}


def test_a_field_failing_format_and_pattern_says_it_once():
    schema = {
        "type": "object",
        "properties": {
            "email": {"type": "string", "format": "email", "pattern": "^\\S+@\\S+$"}
        },
    }

    with pytest.raises(Invalid) as refused:
        validate_form(schema, {"email": "nobody"})

    assert refused.value.fields == {"email": ONE_MESSAGE}


def test_portal_report_form_shows_a_bad_email_once(api, app, unchanged):
    browser = Browser(app)
    browser.sign_in(api.client_of(REPORT["firm"]))
    report = {k: str(v) for k, v in REPORT.items() if k != "firm"}

    with unchanged():
        response = browser.post(
            "/portal/report", {**report, "contact_email": "dana at northbridge"}
        )

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert page.count("Must be a valid email") == 2  # by the field and in the summary
    assert "Must be a valid email address.</p>" in page
    assert "Must be a valid email." not in page
