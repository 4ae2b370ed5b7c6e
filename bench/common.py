"""Shared set-up for benchmarks: an app on a scratch database with staff users."""

import statistics
import tempfile
from pathlib import Path

from app import create_app
from cli.users import add_user
from models import db

STAFF = {
    "levelone": ["Level One"],
    "support": ["Support"],
    "triage": ["Triage"],
    "conn1": ["Engineering Connectivity"],
    "conn2": ["Engineering Connectivity"],
    "manager": [],
}
REPORT = {
    "firm": "Bench Capital",
    "contact_name": "Pat Bench",
    "contact_email": "pat@bench.example",
    "summary": "Positions stale at a custodian",
    "description": "Positions stopped updating after a login change.",
    "severity": "partial",
    "accounts_impacted": 120,
}
ENGINEERING_PATH = [
    ("assess_issue", {"aggregation_related": True}),
    ("review_setup", {"resolvable_by_setup": False}),
    (
        "triage_investigate",
        {
            "outcome": "needs_engineering",
            "category": "other",
            "findings": "Collector fails on the new login page.",
            "engineering_group": "Connectivity",
        },
    ),
    ("evaluate_scope", {"scope": "medium", "notes": "One custodian."}),
    (
        "research_fix",
        {"outcome": "needs_client_info", "questions": "Which logins fail?"},
    ),
    ("answer_questions", {"answers": "All logins since Monday."}),
    (
        "research_fix",
        {
            "outcome": "fix_submitted",
            "root_cause": "Login form changed.",
            "fix_description": "Updated the collector script.",
        },
    ),
    ("technical_review", {"approved": True, "review_notes": "Looks right."}),
    ("verify_fix", {"fix_effective": True}),
    ("close_case", {"resolution_summary": "Collector updated.", "next_steps": "None"}),
    ("review_resolution", {"problem_persists": False}),
]
WORKER = {
    "assess_issue": "levelone",
    "review_setup": "support",
    "triage_investigate": "triage",
    "evaluate_scope": "conn1",
    "research_fix": "conn1",
    "answer_questions": "client",
    "technical_review": "conn2",
    "verify_fix": "support",
    "close_case": "support",
    "review_resolution": "client",
}


def bench_app(database_url=None):
    """An app on `database_url` (default: a scratch SQLite file) with bench users."""
    url = database_url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "LOG_LEVEL": "WARNING"})
    with app.app_context():
        for name, groups in STAFF.items():
            add_user(name, groups, manager=name == "manager", token=token(name))
        add_user("client", ["Client"], firm=REPORT["firm"], token=token("client"))
        db.session.commit()
    return app


def token(name):
    return f"bench-token-{name}-0000"


def headers(name):
    return {"Authorization": f"Bearer {token(name)}"}


def summary(samples):
    """Median and mean of `samples` (seconds) in milliseconds."""
    return statistics.median(samples) * 1000, statistics.fmean(samples) * 1000
