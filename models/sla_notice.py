"""A service-level notice sent: one per case, target and level, ever."""

from .base import UtcDateTime, db, utcnow


class SlaNotice(db.Model):
    __tablename__ = "sla_notices"
    # The constraint is what makes a notice go once: a second worker's insert of
    # the same notice fails, and that worker sends nothing.
    __table_args__ = (
        db.UniqueConstraint("case_id", "target", "level", name="uq_sla_notices"),
    )

    id = db.Column(db.Integer, primary_key=True)
    case_id = db.Column(db.ForeignKey("cases.id"), nullable=False, index=True)
    target = db.Column(db.String(20), nullable=False)
    level = db.Column(db.String(20), nullable=False)
    created_at = db.Column(UtcDateTime, nullable=False, default=utcnow)
