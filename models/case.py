"""A support case: the report, where it stands, and its stored workflow."""

from .base import UtcDateTime, db, utcnow

PRIORITY_RANK = {"Critical": 0, "High": 1, "Medium": 2, "Low": 3}
PRIORITY_OF_RANK = {rank: priority for priority, rank in PRIORITY_RANK.items()}


class Case(db.Model):
    __tablename__ = "cases"

    id = db.Column(db.Integer, primary_key=True)
    case_number = db.Column(db.String(20), unique=True, index=True)
    firm = db.Column(db.String(200), nullable=False, index=True)
    contact_name = db.Column(db.String(200), nullable=False)
    contact_email = db.Column(db.String(200), nullable=False)
    summary = db.Column(db.String(200), nullable=False)
    description = db.Column(db.Text, nullable=False, default="")
    institution = db.Column(db.String(200))
    severity = db.Column(db.String(20), nullable=False)
    accounts_impacted = db.Column(db.Integer, nullable=False)
    priority = db.Column(db.String(10), index=True)
    priority_rank = db.Column(db.Integer, nullable=False, default=4)
    status = db.Column(db.String(20), nullable=False, default="open", index=True)
    resolution_path = db.Column(db.String(20))
    reopen_count = db.Column(db.Integer, nullable=False, default=0)
    version_id = db.Column(db.ForeignKey("process_versions.id"), nullable=False)
    reported_by_id = db.Column(db.ForeignKey("users.id"))
    workflow = db.Column(db.Text, nullable=False, default="")
    serializer_version = db.Column(db.String(10), nullable=False, default="")
    lock = db.Column(db.Integer, nullable=False)
    created_at = db.Column(UtcDateTime, nullable=False, default=utcnow, index=True)
    updated_at = db.Column(UtcDateTime, nullable=False, default=utcnow)
    resolved_at = db.Column(UtcDateTime)

    version = db.relationship("ProcessVersion")
    reported_by = db.relationship("User")

    __mapper_args__ = {"version_id_col": lock}

    @classmethod
    def without_workflow(cls):
        """A query of cases that leaves their stored workflow unread: lists and
        figures over many cases never need it, and it is most of a row."""
        return cls.query.options(db.defer(cls.workflow))

    def set_priority(self, priority):
        """Record the priority and the rank the backlog sorts by."""
        self.priority = priority
        self.priority_rank = PRIORITY_RANK.get(priority, 4)
