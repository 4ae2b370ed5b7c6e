"""Managers' figures and the worker's service-level check, by stored cases.

Run with `make bench`. The cases are stored in bulk as bench/worklist.py does
(70 % resolved, open ones reported up to a year ago at every stage), then each
figure is asked for a few times. Every one of them reads all open cases, so
what matters is how the time grows with their number.
"""

import statistics
import sys
import time

from casework.sla import check_due
from models import Case, db

from .common import bench_app, headers
from .worklist import fill, seed_templates, settle

SIZES = (1_000, 50_000)
CALLS = 3
CALLS_PATHS = {
    "GET /api/stats/sla": "/api/stats/sla",
    "GET /api/stats/backlog": "/api/stats/backlog",
    "GET /api/stats/activities": "/api/stats/activities",
    "GET /api/stats/figures": "/api/stats/figures",
}


def measure(app):
    client = app.test_client()
    results = {}
    for label, path in CALLS_PATHS.items():
        samples = []
        for _ in range(CALLS):
            started = time.perf_counter()
            response = client.get(path, headers=headers("manager"))
            samples.append(time.perf_counter() - started)
            assert response.status_code == 200, response.get_data(as_text=True)[:300]
        results[label] = statistics.median(samples)
    samples = []
    for _ in range(CALLS):
        with app.app_context():
            started = time.perf_counter()
            check_due()
            samples.append(time.perf_counter() - started)
    results["worker's service-level check"] = statistics.median(samples)
    return results


def open_cases(app):
    with app.app_context():
        count = Case.query.filter_by(status="open").count()
        db.session.remove()
        return count


def main(database_url=None):
    app = bench_app(database_url)
    templates = seed_templates(app)
    table, opened = {}, {}
    for size in SIZES:
        fill(app, templates, size)
        settle(app)
        with app.app_context():
            check_due()  # the notices due at once go out before measuring
        table[size] = measure(app)
        opened[size] = open_cases(app)
    small, large = SIZES
    print(f"Managers' figures, median of {CALLS} runs (ms), by stored cases")
    head = f"{small:,} ({opened[small]:,} open)", f"{large:,} ({opened[large]:,} open)"
    print(f"{'':30}{head[0]:>20}{head[1]:>22}{'ratio':>8}")
    for label in table[small]:
        a, b = table[small][label] * 1000, table[large][label] * 1000
        print(f"{label:30}{a:20.1f}{b:22.1f}{b / a:8.1f}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
