"""Replies as mail programs really send them: the token in the address with no
reply address configured, HTML paragraphs, an empty plain part, control
characters, text without a charset, and parts nested past reason."""

from email.message import EmailMessage

import pytest

from casework import inbound

from .steps import case_at
from .test_reply_by_email import (
    ANSWER,
    CONTACT,
    QUOTED,
    REPLY_ADDRESS,
    answer_to,
    questions_email,
    receive,
    refused,
    reply,
    token_of,
)


@pytest.fixture
def questions(app, api):
    """(case number, its client_questions outbox row), replies configured."""
    app.config["REPLY_ADDRESS"] = REPLY_ADDRESS
    number = case_at(api, "answer_questions")
    return number, questions_email(app, number)


def html_reply(to, subject, html, plain=None):
    message = EmailMessage()
    message["From"] = CONTACT
    message["To"] = to
    message["Subject"] = subject
    if plain is None:
        message.set_content(html, subtype="html")
    else:
        message.set_content(plain)
        message.add_alternative(html, subtype="html")
    return bytes(message)


def test_the_address_token_is_read_without_a_reply_address_configured(
    app, api, questions
):
    number, row = questions
    app.config["REPLY_ADDRESS"] = None

    result = receive(app, reply(row.reply_to, "Re: your case", ANSWER))

    assert result.exit_code == 0, result.output
    assert api.completions(number, "answer_questions")[0]["data"]["answers"] == ANSWER


def test_html_line_breaks_and_paragraphs_are_kept(app, api, questions):
    number, row = questions
    html = (
        '<div dir="ltr">It is Pershing.<br><br>Accounts 4410\n and 4411.<br>'
        "Thanks</div><p>Dana</p><p>Northbridge</p>"
        "<blockquote>Which custodian?</blockquote>"
    )

    result = receive(app, html_reply(row.reply_to, f"Re: {row.subject}", html))

    assert result.exit_code == 0, result.output
    answers = api.completions(number, "answer_questions")[0]["data"]["answers"]
    assert answers == (
        "It is Pershing.\n\nAccounts 4410 and 4411.\nThanks\nDana\n\nNorthbridge"
    )


def test_an_empty_plain_part_gives_way_to_the_html_one(app, api, questions):
    number, row = questions
    raw = html_reply(row.reply_to, f"Re: {row.subject}", "<p>Pershing</p>", plain="")

    result = receive(app, raw)

    assert result.exit_code == 0, result.output
    answers = api.completions(number, "answer_questions")[0]["data"]["answers"]
    assert answers == "Pershing"


def test_control_characters_are_dropped_not_refused(app, api, questions):
    number, row = questions

    result = receive(app, answer_to(row, "Per\x0bshing\x1b[0m" + QUOTED))

    assert result.exit_code == 0, result.output
    answers = api.completions(number, "answer_questions")[0]["data"]["answers"]
    assert answers == "Pershing[0m"


def test_eight_bit_text_without_a_charset_keeps_its_accents():
    raw = (
        b"From: x@example.com\r\nTo: y@example.com\r\nSubject: Re: q\r\n"
        b"Content-Type: text/plain\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        b"Soci\xe9t\xe9 G\xe9n\xe9rale\r\n"
    )

    assert inbound.reply_text(inbound.parse(raw)) == "Société Générale"


def test_parts_nested_past_reason_are_refused_with_a_data_error(
    app, questions, unchanged
):
    number, row = questions
    depth = 3000
    head = (
        f"From: {CONTACT}\r\nTo: {row.reply_to}\r\nSubject: Re: {row.subject}\r\n"
        "MIME-Version: 1.0\r\n"
    )
    body = "".join(
        f'Content-Type: multipart/mixed; boundary="b{i}"\r\n\r\n--b{i}\r\n'
        for i in range(depth)
    )
    raw = (head + body + "Content-Type: text/plain\r\n\r\nPershing\r\n").encode()

    result = refused(app, raw, unchanged)

    assert result.exit_code == 65
    assert "nests too many parts" in result.output
    assert token_of(row)
