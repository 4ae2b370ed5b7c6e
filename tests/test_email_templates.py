"""Email templates are checked before they are needed: a deploy is refused when a
step's template does not parse or reads what its emails may lack; at start a
broken file is named in the log and the service runs on; a template broken
while the service runs falls back to a plain email that keeps the questions
and the reply token."""

import shutil
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from jinja2 import FileSystemLoader

from app import create_app
from casework import email_checks, emails, versions
from models import Email, utcnow

from .steps import QUESTIONS, assert_error, case_at
from .test_deploy import deploy
from .test_workers import run_worker

RENAMED = (
    Path("processes/case_lifecycle.bpmn")
    .read_bytes()
    .replace(b'name="Assess issue"', b'name="Assess the issue"')
)


@pytest.fixture
def templates(tmp_path, monkeypatch):
    """A copy of emails/ that the service reads instead, for a test to break."""
    folder = tmp_path / "emails"
    shutil.copytree(emails.TEMPLATE_DIR, folder)
    for module in (emails, email_checks, versions):
        monkeypatch.setattr(module, "TEMPLATE_DIR", folder)
    monkeypatch.setattr(emails.environment, "loader", FileSystemLoader(folder))
    return folder


def append(path, text):
    path.write_text(path.read_text() + text)


def replace(path, old, new):
    content = path.read_text()
    assert old in content
    path.write_text(content.replace(old, new))


def test_a_template_that_does_not_parse_is_named_at_start_and_the_service_runs(
    templates, tmp_path, caplog
):
    append(templates / "client_questions.txt", "{% if questions %}unclosed\n")

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})

    assert app is not None
    said = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert any("emails/client_questions.txt: line" in line for line in said), said


def test_a_step_whose_template_does_not_parse_is_refused_at_deploy(
    api, templates, unchanged
):
    append(templates / "client_questions.txt", "{% endif %}")

    with unchanged():
        response = deploy(api, [("bpmn", "case_lifecycle.bpmn", RENAMED)])

    assert_error(response, 422, "invalid")
    problems = response.get_json()["error"]["problems"]
    assert {p["element"] for p in problems} == {"email_questions"}
    assert "client_questions.txt does not parse: line" in problems[0]["message"]


def test_a_step_whose_template_reads_a_name_only_some_paths_set_is_refused(
    api, templates, unchanged
):
    replace(
        templates / "resolution.txt",
        "We believe case",
        "Summary: {{ resolution_summary }}\nWe believe case",
    )

    with unchanged():
        response = deploy(api, [("bpmn", "case_lifecycle.bpmn", RENAMED)])

    assert_error(response, 422, "invalid")
    problems = response.get_json()["error"]["problems"]
    assert problems and all(
        "reads resolution_summary" in p["message"] for p in problems
    )


def test_a_notice_template_reading_what_notices_lack_is_refused(templates):
    replace(templates / "sla_warning.txt", "{{ priority }}", "{{ severity_label }}")

    problems = email_checks.template_problems()

    assert [(p.element, "severity_label" in p.message) for p in problems] == [
        ("emails/sla_warning", True)
    ]


def test_a_step_whose_template_reads_an_unknown_name_is_refused_at_deploy(
    api, templates, unchanged
):
    replace(
        templates / "client_questions.txt",
        "Their questions:",
        "Their questions ({{ question_count }}):",
    )

    with unchanged():
        response = deploy(api, [("bpmn", "case_lifecycle.bpmn", RENAMED)])

    assert_error(response, 422, "invalid")
    [problem] = response.get_json()["error"]["problems"]
    assert problem["element"] == "email_questions"
    assert "reads question_count" in problem["message"]


def test_names_a_template_checks_with_is_defined_are_not_required(templates):
    assert "resolution_summary" not in email_checks.reads("resolution")
    assert "questions" in email_checks.reads("client_questions")


def questions_email(app, number):
    with app.app_context():
        rows = Email.query.filter_by(template="client_questions").all()
        return [r for r in rows if r.case.case_number == number][0]


def test_a_template_broken_while_running_sends_a_fallback_with_what_matters(
    app, api, templates
):
    append(templates / "client_questions.txt", "{{ question_count }}\n")
    append(templates / "client_questions.html", "{% endif %}")

    number = case_at(api, "answer_questions")

    email = questions_email(app, number)
    assert email.subject.startswith(f"Case {number}: client questions [{number} #")
    assert QUESTIONS["questions"] in email.body
    assert email.html_body is None
    assert "client_questions.txt" in email.last_error
    assert "question_count" in email.last_error


def test_a_broken_html_template_sends_the_text_and_says_so(app, api, templates):
    append(templates / "client_questions.html", "{% endif %}")

    number = case_at(api, "answer_questions")

    email = questions_email(app, number)
    assert "Their questions:" in email.body
    assert email.html_body is None
    assert "client_questions.html: line" in email.last_error
    assert "sent as text only" in email.last_error


def test_a_broken_reminder_template_does_not_stop_the_worker(app, api, templates):
    number = case_at(api, "answer_questions")
    append(templates / "client_reminder.txt", "{% endif %}")

    with time_machine.travel(utcnow() + timedelta(days=3, minutes=1)):
        output = run_worker(app)

    assert f"{number}: client_reminder_timer" in output
    with app.app_context():
        reminder = Email.query.filter_by(template="client_reminder").one()
        assert reminder.status == "kept"
        assert "client_reminder.txt: line" in reminder.last_error
