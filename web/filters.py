"""Template filters: ages, due states and dates in words people read."""

from casework.sla_view import due_in
from models import utcnow


def age(moment, now=None):
    """'3 days', '5 hours', 'just now'."""
    if moment is None:
        return ""
    seconds = ((now or utcnow()) - moment).total_seconds()
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = int(seconds // size)
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return "just now"


def due_state(moment, now=None):
    """'overdue', 'due now', 'due in 2 days', or '' when nothing is due; in the
    words (and rounding) the backlog's reasons use."""
    if moment is None:
        return ""
    now = now or utcnow()
    if moment <= now:
        return "overdue"
    return f"due {due_in((moment - now).total_seconds())}"


def answer(value):
    """Yes and No for true and false, a list one item a line ('none' when
    empty); everything else as it is."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return "\n".join(str(answer(item)) for item in value) or "none"
    return value


def when(moment):
    return moment.strftime("%d %b %Y, %H:%M UTC") if moment else ""


def register_filters(app):
    app.jinja_env.filters.update(age=age, answer=answer, due_state=due_state, when=when)
