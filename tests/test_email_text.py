"""Text emails keep each sentence whole however long the values put into it:
a long summary never leaves the rest of its sentence on the next line."""

from datetime import timedelta
from pathlib import Path

import pytest

from casework.emails import render

TEMPLATES = sorted(p.stem for p in (Path(__file__).parents[1] / "emails").glob("*.txt"))
SUMMARY = (
    "Pacific Crest Bank: 63 client checking and savings accounts failing login "
    "since the bank moved to app-based MFA, and nothing has refreshed since Monday"
)
CONTEXT = {
    "case_number": "CP-000123",
    "summary": SUMMARY,
    "contact_name": "Marisol Etxeberria",
    "firm": "Halcyon Bay Wealth Advisors",
    "questions": "Which custodian holds the accounts?\nSince when?",
    "reply_token": "k3y",
    "reply_address": "cases+k3y@vendor.example",
    "feedback": "Still stale after the overnight run.",
    "root_cause": "The login flow changed.",
    "fix_description": "Moved the accounts to the bank's OAuth connection.",
    "priority": "High",
    "target": "resolution",
    "group": "Engineering Connectivity",
    "time_over": timedelta(hours=3),
    "time_left": timedelta(minutes=45),
    "accounts_impacted": 63,
    "resolution_path": "engineering",
    "resolution_summary": "Moved the accounts to OAuth.",
    "next_steps": "Approve the bank's consent screen.",
}


def test_questions_email_keeps_its_sentences_whole_around_a_long_summary():
    email = render("client_questions", CONTEXT)

    lines = email.text.splitlines()
    assert (
        email.subject
        == "Case CP-000123: our engineers have a question [CP-000123 #k3y]"
    )
    assert email.reply_to == "cases+k3y@vendor.example"
    assert lines[0] == "Dear Marisol Etxeberria,"
    assert (
        "While working on case CP-000123, our engineers need a little more "
        "information from you."
    ) in lines
    assert f"Your report: {SUMMARY}" in lines
    assert "Which custodian holds the accounts?" in lines


@pytest.mark.parametrize("template", TEMPLATES)
def test_no_sentence_runs_on_after_the_summary(template):
    email = render(template, CONTEXT)

    lines = email.text.splitlines()
    assert not email.text.startswith(email.subject), "the template did not render"
    for index, line in enumerate(lines[:-1]):
        if SUMMARY in line:
            following = lines[index + 1]
            assert line.endswith((SUMMARY, ".", ":")), line
            assert not following[:1].islower(), (line, following)
