"""A client answers engineers' questions by replying to the questions email."""

import os
import re
import subprocess
import sys
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
import time_machine

from casework import inbound
from models import Case, Email, Task, Timer, utcnow
from models.email import ReplyToken

from .mailserver import free_port, smtp_server, smtp_settings
from .paths import REPORT
from .steps import QUESTIONS, VALID, case_at

ROOT = Path(__file__).resolve().parents[1]
REPLY_ADDRESS = "cases@vendor.example"
CONTACT = REPORT["contact_email"]
ANSWER = "The brokerage custodian; accounts ending 4410 and 4411."
QUOTED = """
On Tue, 3 Mar 2026 at 10:02, casepath <support@vendor.example>
wrote:
> While working on case CP-000001 our engineers need a little more
> information from you:
> Which custodian?
"""


@pytest.fixture
def questions(app, api):
    """(case number, its client_questions outbox row), replies configured."""
    app.config["REPLY_ADDRESS"] = REPLY_ADDRESS
    number = case_at(api, "answer_questions")
    return number, questions_email(app, number)


def questions_email(app, number, template="client_questions"):
    with app.app_context():
        case = Case.query.filter_by(case_number=number).one()
        rows = Email.query.filter_by(case_id=case.id, template=template)
        return rows.order_by(Email.id.desc()).first()


def reply(to, subject, text, sender=CONTACT, html=None, **headers):
    """The bytes of a reply as a mail program would send it."""
    message = EmailMessage()
    message["From"] = f"Dana Whitlock <{sender}>"
    message["To"] = to
    message["Subject"] = subject
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    return bytes(message)


def answer_to(row, text=ANSWER + "\n" + QUOTED, **options):
    return reply(row.reply_to, f"Re: {row.subject}", text, **options)


def receive(app, raw):
    return app.test_cli_runner().invoke(args=["mail", "receive"], input=raw)


def ready(app, number):
    with app.app_context():
        case = Case.query.filter_by(case_number=number).one()
        return [t.element for t in Task.query.filter_by(case_id=case.id, state="ready")]


def token_of(row):
    return re.search(r"#([0-9a-f]+)\]", row.subject).group(1)


def test_questions_email_carries_an_unguessable_token_in_reply_to_and_subject(
    app, questions
):
    number, row = questions
    token = token_of(row)
    assert re.fullmatch(r"[0-9a-f]{24}", token)
    assert row.reply_to == f"cases+{token}@vendor.example"
    assert row.subject.endswith(f"[{number} #{token}]")
    with app.app_context():
        stored = ReplyToken.query.one()
        task = Task.query.filter_by(element="answer_questions", state="ready").one()
        assert (stored.token, stored.task_id) == (token, task.id)


def test_delivered_questions_email_asks_for_replies_at_the_token_address(
    app, questions
):
    number, row = questions
    with smtp_server() as (inbox, port):
        app.config.update(smtp_settings(port))
        app.test_cli_runner().invoke(args=["worker", "--once"])
    [sent] = [m for m in inbox.messages if m["Message-ID"] == row.message_id]
    assert sent["Reply-To"] == row.reply_to
    assert f"#{token_of(row)}]" in sent["Subject"]
    assert "Reply to this email" in sent.get_body(("plain",)).get_content()


def test_reply_answers_the_questions_with_the_new_text_only(app, api, questions):
    number, row = questions

    result = receive(app, answer_to(row))

    assert result.exit_code == 0, result.output
    assert result.stdout == f"{number}: questions answered by {CONTACT}\n"
    [completion] = api.completions(number, "answer_questions")
    assert completion["data"] == {"answers": ANSWER}
    assert completion["actor"] == f"Dana Whitlock (email from {CONTACT})"
    assert ready(app, number) == ["research_fix"]
    with app.app_context():
        assert Timer.query.filter_by(state="waiting").count() == 0
        assert ReplyToken.query.one().used_at is not None


def test_the_client_sees_the_emailed_answer_in_the_portal_history(app, api, questions):
    number, row = questions
    receive(app, answer_to(row))
    client = api.client_of(REPORT["firm"])
    history = api.case(number, user=client)["history"]
    answered = [e for e in history if e["element"] == "answer_questions"]
    assert answered[-1]["data"] == {"answers": ANSWER}


def test_token_in_the_subject_alone_is_enough(app, api, questions):
    number, row = questions
    raw = reply(REPLY_ADDRESS, f"RE: {row.subject}", ANSWER)
    result = receive(app, raw)
    assert result.exit_code == 0, result.output
    assert api.completions(number, "answer_questions")[0]["data"]["answers"] == ANSWER


def test_an_html_only_reply_leaves_out_the_quoted_block(app, api, questions):
    number, row = questions
    html = (
        "<html><body><div>Custodian: <b>Pershing</b></div><div>Accounts 4410</div>"
        "<blockquote><p>Which custodian?</p></blockquote></body></html>"
    )
    message = EmailMessage()
    message["From"] = CONTACT
    message["To"] = row.reply_to
    message["Subject"] = f"Re: {row.subject}"
    message.set_content(html, subtype="html")
    result = receive(app, bytes(message))
    assert result.exit_code == 0, result.output
    answers = api.completions(number, "answer_questions")[0]["data"]["answers"]
    assert answers == "Custodian: Pershing\nAccounts 4410"


def test_the_reminder_carries_the_same_token(app, questions):
    number, row = questions
    with time_machine.travel(utcnow() + timedelta(days=3, minutes=1)):
        app.test_cli_runner().invoke(args=["worker", "--once"])
    reminder = questions_email(app, number, "client_reminder")
    assert reminder.reply_to == row.reply_to
    assert token_of(reminder) == token_of(row)


def test_each_round_of_questions_has_its_own_token(app, api, questions):
    number, first = questions
    assert receive(app, answer_to(first)).exit_code == 0
    assert api.complete(number, "research_fix", QUESTIONS).status_code == 200
    second = questions_email(app, number)
    assert second.id != first.id
    assert token_of(second) != token_of(first)

    stale = receive(app, answer_to(first))
    assert stale.exit_code == 69
    assert ready(app, number) == ["answer_questions"]
    assert receive(app, answer_to(second)).exit_code == 0


def test_without_reply_address_the_subject_still_carries_the_token(app, api):
    number = case_at(api, "answer_questions")
    row = questions_email(app, number)
    assert row.reply_to is None
    raw = reply("support@vendor.example", f"Re: {row.subject}", ANSWER)
    assert receive(app, raw).exit_code == 0
    assert ready(app, number) == ["research_fix"]


def test_a_reply_address_set_on_the_worker_alone_reaches_the_sent_email(app, api):
    number = case_at(api, "answer_questions")
    row = questions_email(app, number)
    assert row.reply_to is None  # the web server had no REPLY_ADDRESS

    with smtp_server() as (inbox, port):
        app.config.update(smtp_settings(port), REPLY_ADDRESS=REPLY_ADDRESS)
        app.test_cli_runner().invoke(args=["worker", "--once"])

    token = token_of(row)
    [sent] = [m for m in inbox.messages if m["Message-ID"] == row.message_id]
    assert sent["Reply-To"] == f"cases+{token}@vendor.example"
    assert questions_email(app, number).reply_to == sent["Reply-To"]
    others = [m for m in inbox.messages if m["Message-ID"] != row.message_id]
    assert others and all(m["Reply-To"] is None for m in others)
    raw = reply(sent["Reply-To"], "Re: our question", ANSWER)
    assert receive(app, raw).exit_code == 0


def refused(app, raw, unchanged):
    with unchanged():
        result = receive(app, raw)
    assert result.exit_code != 0
    return result


def test_the_senders_address_alone_answers_nothing(app, questions, unchanged):
    number, row = questions
    subject = f"Re: Case {number}: our engineers have a question"
    result = refused(app, reply(REPLY_ADDRESS, subject, ANSWER), unchanged)
    assert result.exit_code == 65
    assert "no reply token" in result.stderr


def test_an_unknown_token_is_refused(app, questions, unchanged):
    raw = reply("cases+0123456789abcdef01234567@vendor.example", "Re: hi", ANSWER)
    result = refused(app, raw, unchanged)
    assert result.exit_code == 67
    assert "unknown reply token" in result.stderr


def test_a_token_tagged_with_another_case_number_is_refused(app, questions, unchanged):
    number, row = questions
    subject = f"Re: question [CP-999999 #{token_of(row)}]"
    result = refused(app, reply(REPLY_ADDRESS, subject, ANSWER), unchanged)
    assert result.exit_code == 67


def test_a_token_at_another_domain_is_not_read(app, questions, unchanged):
    number, row = questions
    to = f"cases+{token_of(row)}@elsewhere.example"
    result = refused(app, reply(to, "Re: hello", ANSWER), unchanged)
    assert result.exit_code == 65


def test_a_reply_after_the_questions_were_answered_is_refused(
    app, api, questions, unchanged
):
    number, row = questions
    response = api.complete(number, "answer_questions", VALID["answer_questions"])
    assert response.status_code == 200
    result = refused(app, answer_to(row), unchanged)
    assert result.exit_code == 69
    assert f"questions of case {number} are no longer waiting" in result.stderr


def test_a_reply_with_only_the_quoted_questions_is_refused(app, questions, unchanged):
    number, row = questions
    result = refused(app, answer_to(row, text="\n\n" + QUOTED), unchanged)
    assert result.exit_code == 66
    assert "no text" in result.stderr


def test_an_answer_longer_than_the_form_allows_is_refused(app, questions, unchanged):
    number, row = questions
    result = refused(app, answer_to(row, text="x" * 5001), unchanged)
    assert result.exit_code == 65
    assert "answers" in result.stderr


def test_an_out_of_office_reply_is_ignored(app, questions, unchanged):
    number, row = questions
    raw = answer_to(row, text="I am away until Monday.", Auto_Submitted="auto-replied")
    with unchanged():
        result = receive(app, raw)
    assert result.exit_code == 0
    assert result.stdout.startswith("ignored: an automatic reply")


def test_a_mail_server_pipes_a_reply_into_the_command(app, api, questions):
    number, row = questions
    env = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "REPLY_ADDRESS": REPLY_ADDRESS,
    }
    command = [sys.executable, "-m", "flask", "--app", "app", "mail", "receive"]

    piped = subprocess.run(
        command, input=answer_to(row), env=env, cwd=ROOT, capture_output=True
    )

    assert piped.returncode == 0, piped.stderr.decode()
    assert piped.stdout.decode() == f"{number}: questions answered by {CONTACT}\n"
    assert api.completions(number, "answer_questions")[0]["data"]["answers"] == ANSWER
    again = subprocess.run(
        command, input=answer_to(row), env=env, cwd=ROOT, capture_output=True
    )
    assert again.returncode == 69
    assert b"no longer waiting" in again.stderr


def test_mail_receive_asks_to_try_later_when_the_database_is_unreachable(
    app, questions
):
    number, row = questions
    env = {
        **os.environ,
        "DATABASE_URL": f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/x",
        "REPLY_ADDRESS": REPLY_ADDRESS,
    }
    command = [sys.executable, "-m", "flask", "--app", "app", "mail", "receive"]

    piped = subprocess.run(
        command, input=answer_to(row), env=env, cwd=ROOT, capture_output=True
    )

    assert piped.returncode == 75, piped.stderr.decode()
    [line] = piped.stderr.decode().splitlines()
    assert line.startswith("casepath: the database is unavailable")
    assert ready(app, number) == ["answer_questions"]


@pytest.mark.parametrize(
    "text",
    [
        f"{ANSWER}\n\nOn Tue, 3 Mar 2026, Support <s@vendor.example> wrote:\n> old",
        f"{ANSWER}\n\n-----Original Message-----\nFrom: Support\nSent: Tuesday",
        f"{ANSWER}\n\n________________________________\nFrom: Support\nSent: Tue",
        f"{ANSWER}\n\nFrom: casepath <support@vendor.example>\nSent: Tuesday\n"
        "To: Dana\nSubject: question",
        f"{ANSWER}\n-- \nDana Whitlock\nNorthbridge Wealth Partners",
        f"{ANSWER}\n\nSent from my iPhone",
        f"> Which custodian?\n{ANSWER}\n> Anything else?",
    ],
    ids=[
        "gmail",
        "outlook-rule",
        "outlook-line",
        "outlook-headers",
        "signature",
        "phone",
        "inline-quotes",
    ],
)
def test_reply_text_leaves_out_quotes_and_signatures(text):
    message = inbound.parse(reply("x@example.com", "Re: q", text))
    assert inbound.reply_text(message) == ANSWER
