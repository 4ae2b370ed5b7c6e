"""The outbox: every email the process asked to send, and the tokens replies carry."""

from .base import UtcDateTime, db, utcnow

# queued -> sending -> sent; sending -> queued (retry) | failed | unknown;
# kept when no mail server is configured. See casework/delivery.py.
STATUSES = ("queued", "sending", "sent", "kept", "failed", "unknown")


class Email(db.Model):
    __tablename__ = "outbox"
    __table_args__ = (db.Index("ix_outbox_status_next", "status", "next_attempt_at"),)

    id = db.Column(db.Integer, primary_key=True)
    case_id = db.Column(db.ForeignKey("cases.id"), index=True)
    template = db.Column(db.String(60), nullable=False)
    recipient = db.Column(db.String(200), nullable=False)
    subject = db.Column(db.String(300), nullable=False)
    body = db.Column(db.Text, nullable=False)
    html_body = db.Column(db.Text)
    reply_to = db.Column(db.String(200))
    message_id = db.Column(db.String(250), unique=True)
    status = db.Column(db.String(12), nullable=False, default="queued", index=True)
    attempts = db.Column(db.Integer, nullable=False, default=0)
    next_attempt_at = db.Column(UtcDateTime)
    attempt_started_at = db.Column(UtcDateTime)
    last_error = db.Column(db.Text)
    created_at = db.Column(UtcDateTime, nullable=False, default=utcnow)
    sent_at = db.Column(UtcDateTime)

    case = db.relationship("Case")


class ReplyToken(db.Model):
    """An unguessable value in a questions email that lets its reply answer them."""

    __tablename__ = "reply_tokens"

    token = db.Column(db.String(40), primary_key=True)
    case_id = db.Column(db.ForeignKey("cases.id"), nullable=False, index=True)
    task_id = db.Column(db.String(36), nullable=False, unique=True)
    created_at = db.Column(UtcDateTime, nullable=False, default=utcnow)
    used_at = db.Column(UtcDateTime)

    case = db.relationship("Case")
