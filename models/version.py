"""Deployed process versions: the diagram, decision table and forms, as one bundle."""

from .base import UtcDateTime, db, utcnow


class ProcessVersion(db.Model):
    __tablename__ = "process_versions"

    id = db.Column(db.Integer, primary_key=True)
    number = db.Column(db.Integer, unique=True, nullable=False)
    hash = db.Column(db.String(64), nullable=False, unique=True, index=True)
    process_id = db.Column(db.String(200), nullable=False)
    author = db.Column(db.String(120), nullable=False)
    note = db.Column(db.Text, nullable=False, default="")
    is_current = db.Column(db.Boolean, nullable=False, default=False)
    created_at = db.Column(UtcDateTime, nullable=False, default=utcnow)

    files = db.relationship(
        "VersionFile", backref="version", order_by="VersionFile.name"
    )

    def bpmn_text(self):
        """The diagram of this version."""
        return next(f.content for f in self.files if f.name.endswith(".bpmn"))

    def bundle(self):
        """The version's files as {name: bytes}, as the engine reads them."""
        return {f.name: f.content.encode("utf-8") for f in self.files}


class VersionFile(db.Model):
    __tablename__ = "version_files"
    __table_args__ = (db.UniqueConstraint("version_id", "name"),)

    id = db.Column(db.Integer, primary_key=True)
    version_id = db.Column(db.ForeignKey("process_versions.id"), nullable=False)
    name = db.Column(db.String(200), nullable=False)
    content = db.Column(db.Text, nullable=False)
