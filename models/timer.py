"""A case's pending timer, so the worker finds due ones without loading workflows."""

from .base import UtcDateTime, db


class Timer(db.Model):
    __tablename__ = "timers"
    __table_args__ = (db.Index("ix_timers_state_due", "state", "due_at"),)

    id = db.Column(db.Integer, primary_key=True)
    case_id = db.Column(db.ForeignKey("cases.id"), nullable=False, index=True)
    task_id = db.Column(db.String(36), nullable=False)
    element = db.Column(db.String(100), nullable=False)
    due_at = db.Column(UtcDateTime, nullable=False)
    state = db.Column(db.String(12), nullable=False, default="waiting")
    ended_at = db.Column(UtcDateTime)

    case = db.relationship("Case")
