"""The outbox: every email the process asked to send, queued in the same transaction."""

from .base import UtcDateTime, db, utcnow


class Email(db.Model):
    __tablename__ = "outbox"

    id = db.Column(db.Integer, primary_key=True)
    case_id = db.Column(db.ForeignKey("cases.id"), index=True)
    template = db.Column(db.String(60), nullable=False)
    recipient = db.Column(db.String(200), nullable=False)
    subject = db.Column(db.String(300), nullable=False)
    body = db.Column(db.Text, nullable=False)
    status = db.Column(db.String(12), nullable=False, default="queued", index=True)
    created_at = db.Column(UtcDateTime, nullable=False, default=utcnow)
    sent_at = db.Column(UtcDateTime)
