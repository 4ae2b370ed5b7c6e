"""A note on a case: for staff only, or also for the case's client."""

from .base import UtcDateTime, db, utcnow


class Comment(db.Model):
    __tablename__ = "comments"

    id = db.Column(db.Integer, primary_key=True)
    case_id = db.Column(db.ForeignKey("cases.id"), nullable=False, index=True)
    author_id = db.Column(db.ForeignKey("users.id"), nullable=False)
    author = db.Column(db.String(120), nullable=False)
    body = db.Column(db.Text, nullable=False)
    for_client = db.Column(db.Boolean, nullable=False, default=False)
    created_at = db.Column(UtcDateTime, nullable=False, default=utcnow)
