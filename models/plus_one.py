"""A "+1": another firm reports that a case's problem affects it too."""

from .base import UtcDateTime, db, utcnow


class PlusOne(db.Model):
    __tablename__ = "plus_ones"
    __table_args__ = (db.UniqueConstraint("case_id", "firm", name="uq_plus_ones"),)

    id = db.Column(db.Integer, primary_key=True)
    case_id = db.Column(db.ForeignKey("cases.id"), nullable=False, index=True)
    firm = db.Column(db.String(120), nullable=False)
    recorded_by = db.Column(db.String(120), nullable=False)
    created_at = db.Column(UtcDateTime, nullable=False, default=utcnow)

    case = db.relationship(
        "Case", backref=db.backref("plus_ones", order_by="PlusOne.id", lazy="select")
    )
