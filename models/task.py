"""A human task of a case, kept as a row so worklists never load workflows."""

from .base import UtcDateTime, db, utcnow
from .case import PRIORITY_OF_RANK

RANK = ("priority_rank", "case_created_at", "case_id")


class Task(db.Model):
    __tablename__ = "tasks"
    __table_args__ = (
        db.Index("ix_tasks_group_rank", "state", "group", *RANK),
        db.Index("ix_tasks_rank", "state", *RANK),
        db.Index("ix_tasks_assignee_rank", "assignee_id", "state", *RANK),
        db.Index("ix_tasks_case_state", "case_id", "state"),
    )

    id = db.Column(db.String(36), primary_key=True)
    case_id = db.Column(db.ForeignKey("cases.id"), nullable=False)
    element = db.Column(db.String(100), nullable=False)
    name = db.Column(db.String(200), nullable=False)
    lane = db.Column(db.String(60))
    group = db.Column(db.String(100), nullable=False)
    state = db.Column(db.String(12), nullable=False, default="ready")
    # The case's backlog order, copied here so a worklist page is read from one
    # index instead of sorting every open task with its case.
    priority_rank = db.Column(db.Integer, nullable=False)
    case_created_at = db.Column(UtcDateTime, nullable=False)
    assignee_id = db.Column(db.ForeignKey("users.id"))
    completed_by_id = db.Column(db.ForeignKey("users.id"))
    created_at = db.Column(UtcDateTime, nullable=False, default=utcnow)
    ended_at = db.Column(UtcDateTime)

    lock = db.Column(db.Integer, nullable=False)

    case = db.relationship("Case", backref=db.backref("tasks", lazy="dynamic"))
    assignee = db.relationship("User", foreign_keys=[assignee_id])
    completed_by = db.relationship("User", foreign_keys=[completed_by_id])

    @property
    def ranked_priority(self):
        """The priority the task's case ranks by (before its priority step, the
        one its report implies); None where neither is known."""
        return PRIORITY_OF_RANK.get(self.priority_rank)

    # Claims, hand-backs and completions of one task exclude each other: the
    # later of two concurrent changes fails its check and is retried.
    __mapper_args__ = {"version_id_col": lock}
