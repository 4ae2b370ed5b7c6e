"""Talk SMTP with the mail server, telling "not sent" from "maybe sent".

A refusal or a lost connection before the message went is `NotSent`: safe to
try again. A connection lost while the server was taking the message is
`Unsure`: the server may have it, so sending again could make a duplicate.
"""

import smtplib
import ssl
from email.policy import SMTP as SMTP_POLICY

# Headers go unfolded (RFC 5322 allows 998 characters): the standard library
# folds some long subjects right after "Subject:", and readers then see a
# leading space.
WIRE_POLICY = SMTP_POLICY.clone(max_line_length=998)


class NotSent(Exception):
    """The server did not take the message; `permanent` when retrying is futile."""

    def __init__(self, message, permanent=False):
        super().__init__(message)
        self.permanent = permanent


class Unsure(Exception):
    """The connection broke while the server was taking the message."""


class Connection:
    """One SMTP connection, opened at the first message and reused for the rest."""

    def __init__(self, config):
        self.config = config
        self.smtp = None

    def send(self, message, sender, recipients):
        """Hand `message` to the server; raise NotSent or Unsure when it did not
        surely take it."""
        try:
            smtp = self._open()
            self._envelope(smtp, sender, recipients)
        except (OSError, smtplib.SMTPException) as error:
            self.close()
            raise NotSent(_describe(error)) from error
        try:
            code, reply = smtp.data(message.as_bytes(policy=WIRE_POLICY))
        except smtplib.SMTPDataError as error:
            self._reset()
            raise NotSent(_describe(error), permanent=error.smtp_code >= 500) from error
        except (OSError, smtplib.SMTPException) as error:
            self.close()
            raise Unsure(_describe(error)) from error
        if code != 250:
            self._reset()
            raise NotSent(_describe_reply(code, reply), permanent=code >= 500)

    def _envelope(self, smtp, sender, recipients):
        code, reply = smtp.mail(sender)
        if code != 250:
            self._reset()
            raise NotSent(_describe_reply(code, reply), permanent=code >= 500)
        for recipient in recipients:
            code, reply = smtp.rcpt(recipient)
            if code not in (250, 251):
                self._reset()
                raise NotSent(
                    f"{recipient}: {_describe_reply(code, reply)}",
                    permanent=code >= 500,
                )

    def _open(self):
        if self.smtp is None:
            config = self.config
            smtp = smtplib.SMTP(
                config["SMTP_HOST"], config["SMTP_PORT"], timeout=config["SMTP_TIMEOUT"]
            )
            try:
                smtp.ehlo()
                if config.get("SMTP_STARTTLS"):
                    smtp.starttls(context=ssl.create_default_context())
                    smtp.ehlo()
                if config.get("SMTP_USER"):
                    smtp.login(config["SMTP_USER"], config.get("SMTP_PASSWORD") or "")
            except BaseException:
                smtp.close()
                raise
            self.smtp = smtp
        return self.smtp

    def _reset(self):
        try:
            self.smtp.rset()
        except (OSError, smtplib.SMTPException):
            self.close()

    def close(self):
        """Say goodbye to the server, or just drop a broken connection."""
        if self.smtp is None:
            return
        try:
            self.smtp.quit()
        except (OSError, smtplib.SMTPException):
            self.smtp.close()
        self.smtp = None


def _describe(error):
    if isinstance(error, smtplib.SMTPResponseException):
        return _describe_reply(error.smtp_code, error.smtp_error)
    return f"{type(error).__name__}: {error}"


def _describe_reply(code, reply):
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    return f"{code} {text}"
