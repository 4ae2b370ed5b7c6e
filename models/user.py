"""People who use casepath: staff of the lanes, clients of a firm, managers, owners."""

import hashlib
import secrets

from werkzeug.security import check_password_hash, generate_password_hash

from .base import UtcDateTime, db, utcnow

STAFF_GROUPS = ("Level One", "Support", "Triage")
CLIENT_GROUP = "Client"
ENGINEERING_PREFIX = "Engineering "


def token_digest(token):
    """The stored form of an API token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class User(db.Model):
    __tablename__ = "users"

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(120), unique=True, nullable=False)
    groups = db.Column(db.JSON, nullable=False, default=list)
    firm = db.Column(db.String(200))
    is_manager = db.Column(db.Boolean, nullable=False, default=False)
    is_owner = db.Column(db.Boolean, nullable=False, default=False)
    password_hash = db.Column(db.String(256))
    token_hash = db.Column(db.String(64), unique=True, index=True)
    created_at = db.Column(UtcDateTime, nullable=False, default=utcnow)

    @property
    def is_client(self):
        return CLIENT_GROUP in self.groups

    @property
    def is_staff(self):
        return (
            self.is_manager
            or self.is_owner
            or any(g != CLIENT_GROUP for g in self.groups)
        )

    def in_group(self, group):
        return group in self.groups

    def set_password(self, password):
        self.password_hash = generate_password_hash(password)

    def check_password(self, password):
        return bool(self.password_hash) and check_password_hash(
            self.password_hash, password
        )

    def issue_token(self, token=None):
        """Give the user a new API token and return it (only its digest is kept)."""
        token = token or secrets.token_urlsafe(24)
        self.token_hash = token_digest(token)
        return token
