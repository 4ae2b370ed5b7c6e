"""A human task of a case, kept as a row so worklists never load workflows."""

from .base import UtcDateTime, db, utcnow


class Task(db.Model):
    __tablename__ = "tasks"
    __table_args__ = (
        db.Index("ix_tasks_state_group", "state", "group"),
        db.Index("ix_tasks_case_state", "case_id", "state"),
        db.Index("ix_tasks_assignee_state", "assignee_id", "state"),
    )

    id = db.Column(db.String(36), primary_key=True)
    case_id = db.Column(db.ForeignKey("cases.id"), nullable=False)
    element = db.Column(db.String(100), nullable=False)
    name = db.Column(db.String(200), nullable=False)
    lane = db.Column(db.String(60))
    group = db.Column(db.String(100), nullable=False)
    state = db.Column(db.String(12), nullable=False, default="ready")
    assignee_id = db.Column(db.ForeignKey("users.id"))
    completed_by_id = db.Column(db.ForeignKey("users.id"))
    created_at = db.Column(UtcDateTime, nullable=False, default=utcnow)
    ended_at = db.Column(UtcDateTime)

    case = db.relationship("Case", backref=db.backref("tasks", lazy="dynamic"))
    assignee = db.relationship("User", foreign_keys=[assignee_id])
    completed_by = db.relationship("User", foreign_keys=[completed_by_id])
