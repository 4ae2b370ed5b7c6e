"""Worklist time at 1,000 and at 50,000 stored cases (it should stay flat).

Run with `make bench`. The cases are stored in bulk: a few real cases are
driven to different stages through the API, then their rows are copied with
new case numbers and new task ids until the table holds the wanted count
(70 % resolved, the rest spread over the stages). Copies share workflow JSON,
which the worklist never reads.
"""

import random
import statistics
import sys
import time
import uuid
from datetime import timedelta

from sqlalchemy import insert, select, text

from models import Case, Task, db

from .common import ENGINEERING_PATH, REPORT, WORKER, bench_app, headers

SIZES = (1_000, 50_000)
RESOLVED_SHARE = 0.7
CALLS = 60
QUERIES = {
    "support, first page": ("support", "/api/tasks"),
    "support, page 5": ("support", "/api/tasks?page=5"),
    "engineering group": ("conn1", "/api/tasks?group=Engineering%20Connectivity"),
    "my claimed tasks": ("support", "/api/tasks?mine=true"),
    "manager, all groups": ("manager", "/api/tasks"),
}


def seed_templates(app):
    """Real cases stopped before each step of the Engineering path, one resolved."""
    client = app.test_client()
    numbers = []
    for stop in range(len(ENGINEERING_PATH) + 1):
        response = client.post("/api/cases", json=REPORT, headers=headers("client"))
        number = response.get_json()["case_number"]
        for element, data in ENGINEERING_PATH[:stop]:
            task = _ready(app, number, element)
            client.post(
                f"/api/tasks/{task}/complete",
                json={"data": data},
                headers=headers(WORKER[element]),
            )
        numbers.append(number)
    return numbers


def _ready(app, number, element):
    with app.app_context():
        return db.session.scalar(
            select(Task.id)
            .join(Case)
            .where(Case.case_number == number, Task.element == element)
            .where(Task.state == "ready")
        )


def fill(app, templates, total):
    """Copy template rows until the cases table holds `total` cases."""
    with app.app_context():
        rows = {n: Case.query.filter_by(case_number=n).one() for n in templates}
        open_templates = [rows[n] for n in templates[:-1]]
        tasks = {
            c.id: Task.query.filter_by(case_id=c.id, state="ready").all()
            for c in rows.values()
        }
        count = Case.query.count()
        rng = random.Random(total)
        batch_cases, batch_tasks = [], []
        next_id = db.session.scalar(select(db.func.max(Case.id))) + 1
        while count < total:
            resolved = rng.random() < RESOLVED_SHARE
            source = rows[templates[-1]] if resolved else rng.choice(open_templates)
            copy = _case_copy(source, next_id, rng)
            batch_cases.append(copy)
            for task in tasks[source.id]:
                batch_tasks.append(_task_copy(task, copy, rng))
            next_id += 1
            count += 1
            if len(batch_cases) >= 2000 or count == total:
                db.session.execute(insert(Case), batch_cases)
                if batch_tasks:
                    db.session.execute(insert(Task), batch_tasks)
                db.session.commit()
                batch_cases, batch_tasks = [], []


def _case_copy(source, case_id, rng):
    columns = {c.key: getattr(source, c.key) for c in Case.__table__.columns}
    created = source.created_at - timedelta(minutes=rng.randrange(525_600))
    columns.update(id=case_id, case_number=f"CP-{case_id:06d}", lock=1)
    columns.update(created_at=created, updated_at=created)
    columns["priority"] = rng.choice(["Critical", "High", "Medium", "Low"])
    columns["priority_rank"] = ["Critical", "High", "Medium", "Low"].index(
        columns["priority"]
    )
    return columns


def _task_copy(task, case, rng):
    columns = {c.key: getattr(task, c.key) for c in Task.__table__.columns}
    columns.update(id=str(uuid.uuid4()), case_id=case["id"])
    columns.update(
        priority_rank=case["priority_rank"], case_created_at=case["created_at"]
    )
    if task.group == "Support" and rng.random() < 0.1:
        columns["assignee_id"] = None
    return columns


def settle(app):
    """Refresh the planner's statistics, as a database in service would have them."""
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect() as connection:
                connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                    text("VACUUM ANALYZE")
                )
        else:
            db.session.execute(text("ANALYZE"))
            db.session.commit()


def measure(app):
    client = app.test_client()
    results = {}
    for label, (user, path) in QUERIES.items():
        samples = []
        for _ in range(CALLS):
            started = time.perf_counter()
            response = client.get(path, headers=headers(user))
            samples.append(time.perf_counter() - started)
            assert response.status_code == 200, response.get_json()
        results[label] = (
            statistics.median(samples) * 1000,
            response.get_json()["total"],
        )
    return results


def main(database_url=None):
    app = bench_app(database_url)
    templates = seed_templates(app)
    table = {}
    for size in SIZES:
        fill(app, templates, size)
        settle(app)
        measure(app)  # warm up
        table[size] = measure(app)
    small, large = SIZES
    print(f"GET /api/tasks, median of {CALLS} calls (ms), by stored cases")
    print(f"{'':24}{small:>10,}{large:>10,}{'ratio':>8}   ready tasks listed")
    for label in QUERIES:
        a, b = table[small][label][0], table[large][label][0]
        totals = f"{table[small][label][1]:,} / {table[large][label][1]:,}"
        print(f"{label:24}{a:10.2f}{b:10.2f}{b / a:8.2f}   {totals}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
