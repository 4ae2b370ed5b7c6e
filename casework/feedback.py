"""+1s: other firms that report a case's problem affects them too."""

import logging

from models import Case, PlusOne, User, db

from .access import case_for
from .errors import Conflict, Forbidden, Invalid
from .sync import record
from .transaction import atomic

log = logging.getLogger("casepath.casework")
MAX_FIRM = 120


def plus_ones(case):
    """The firms that added a +1 to `case`, in the order they came."""
    return PlusOne.query.filter_by(case_id=case.id).order_by(PlusOne.id).all()


def add_plus_one(user, case_number, firm):
    """Record that `firm` has the problem of an open case; staff only."""
    return atomic(lambda: _add(user, case_number, firm))


def _add(user, case_number, firm):
    case = case_for(user, case_number)
    if not user.is_staff:
        raise Forbidden("staff record +1s for the firms that call in")
    firm = _checked_firm(firm, case)
    if case.status != "open":
        raise Conflict(f"case {case_number} is {case.status}; +1s are for open cases")
    if PlusOne.query.filter_by(case_id=case.id, firm=firm).first() is not None:
        raise Conflict(f"{firm} has a +1 on case {case_number} already")

    plus_one = PlusOne(case_id=case.id, firm=firm, recorded_by=user.name)
    db.session.add(plus_one)
    record(case, "plus_one", actor=user, data={"firm": firm})
    log.info("+1 from %s on case %s", firm, case_number, extra={"case": case_number})
    return plus_one


def _checked_firm(firm, case):
    name = firm.strip() if isinstance(firm, str) else ""
    if not name or len(name) > MAX_FIRM or "\x00" in name:
        raise _invalid(f"Give the firm's name, at most {MAX_FIRM} characters.")
    if name == case.firm:
        raise _invalid("This is the case's own firm; a +1 comes from another firm.")
    if name not in known_firms():
        raise _invalid(f"{name} is not a firm casepath knows (no clients or cases).")
    return name


def known_firms():
    """Every firm with a client user or a case."""
    firms = {f for (f,) in db.session.query(User.firm).filter(User.firm.isnot(None))}
    firms |= {f for (f,) in db.session.query(Case.firm).distinct()}
    return firms


def _invalid(message):
    return Invalid("the +1 was refused", fields={"firm": [message]})
