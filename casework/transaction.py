"""Run one change of a case as one transaction, retrying when another one won."""

import logging

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.exc import StaleDataError

import engine
from models import db

from .errors import Conflict
from .sync import warm_key

log = logging.getLogger("casepath.casework")
ATTEMPTS = 3


def atomic(operation, attempts=ATTEMPTS):
    """Call `operation()` and commit; on a concurrent change of the case, retry.

    Every failure rolls the whole transaction back, so a refused request
    leaves the database as it was.
    """
    for attempt in range(1, attempts + 1):
        try:
            result = operation()
            db.session.commit()
            _keep_workflows()
            return result
        except StaleDataError:
            _rollback()
            log.info("case changed concurrently; attempt %s of %s", attempt, attempts)
        except OperationalError as error:
            _rollback()
            if "locked" not in str(error).lower():
                raise
            log.info("database busy; attempt %s of %s", attempt, attempts)
        except BaseException:
            _rollback()
            raise
    raise Conflict("the case was changed by someone else at the same time; try again")


def _keep_workflows():
    for case, outcome in db.session.info.pop("outcomes", []):
        engine.keep(outcome, warm_key(case))


def _rollback():
    db.session.info.pop("outcomes", None)
    db.session.rollback()
