"""Tables of casepath: cases, their tasks, events, timers, emails, users, versions."""

from .base import db, utcnow
from .case import Case
from .comment import Comment
from .email import Email
from .event import Event
from .plus_one import PlusOne
from .task import Task
from .timer import Timer
from .user import User
from .version import ProcessVersion, VersionFile

__all__ = [
    "Case",
    "Comment",
    "Email",
    "Event",
    "PlusOne",
    "ProcessVersion",
    "Task",
    "Timer",
    "User",
    "VersionFile",
    "db",
    "utcnow",
]
