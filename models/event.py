"""The audit trail: who did what to a case, when, with which values."""

from .base import UtcDateTime, db, utcnow


class Event(db.Model):
    __tablename__ = "events"

    id = db.Column(db.Integer, primary_key=True)
    case_id = db.Column(db.ForeignKey("cases.id"), nullable=False, index=True)
    at = db.Column(UtcDateTime, nullable=False, default=utcnow)
    kind = db.Column(db.String(40), nullable=False)
    element = db.Column(db.String(100))
    task_id = db.Column(db.String(36))
    actor_id = db.Column(db.ForeignKey("users.id"))
    actor = db.Column(db.String(120))
    data = db.Column(db.JSON, nullable=False, default=dict)
