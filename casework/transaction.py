"""Run one change of a case as one transaction, retrying when another one won."""

import logging

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

import engine
from models import db

from .errors import Conflict
from .sync import warm_key

log = logging.getLogger("casepath.casework")
ATTEMPTS = 3


def atomic(operation, attempts=ATTEMPTS):
    """Call `operation()` and commit; on a concurrent change, retry.

    A concurrent change is a case changed under us, a busy database, or a row
    another transaction inserted first (two deploys taking the same version
    number): the retry reads again and decides again. Every failure rolls the
    whole transaction back, so a refused request leaves the database as it was.
    """
    last = None
    for attempt in range(1, attempts + 1):
        try:
            result = operation()
            db.session.commit()
            _keep_workflows()
            return result
        except StaleDataError as error:
            _rollback()
            last = error
            log.info("case changed concurrently; attempt %s of %s", attempt, attempts)
        except IntegrityError as error:
            _rollback()
            last = error
            log.info(
                "row inserted concurrently; attempt %s of %s",
                attempt,
                attempts,
                extra={"constraint": str(error.orig)[:200]},
            )
        except OperationalError as error:
            _rollback()
            if "locked" not in str(error).lower():
                raise
            last = error
            log.info("database busy; attempt %s of %s", attempt, attempts)
        except BaseException:
            _rollback()
            raise
    # A constraint failing on every attempt may be a bug, not a race: show it.
    log.warning("gave up after %s attempts", attempts, exc_info=last)
    raise Conflict("someone else changed the same thing at the same time; try again")


def _keep_workflows():
    for case, outcome in db.session.info.pop("outcomes", []):
        engine.keep(outcome, warm_key(case))


def _rollback():
    db.session.info.pop("outcomes", None)
    db.session.rollback()
