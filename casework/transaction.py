"""Run one change of a case as one transaction, retrying when another one won."""

import logging

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.exc import StaleDataError

from models import db

from .errors import Conflict

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
            return result
        except StaleDataError:
            db.session.rollback()
            log.info("case changed concurrently; attempt %s of %s", attempt, attempts)
        except OperationalError as error:
            db.session.rollback()
            if "locked" not in str(error).lower():
                raise
            log.info("database busy; attempt %s of %s", attempt, attempts)
        except BaseException:
            db.session.rollback()
            raise
    raise Conflict("the case was changed by someone else at the same time; try again")
