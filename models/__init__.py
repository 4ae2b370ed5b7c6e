"""Tables of casepath: cases, their tasks, events, timers, emails, users, versions,
service-level notices."""

from .base import db, utcnow
from .case import Case
from .comment import Comment
from .email import Email, ReplyToken
from .event import Event
from .plus_one import PlusOne
from .sla_notice import SlaNotice
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
    "ReplyToken",
    "SlaNotice",
    "Task",
    "Timer",
    "User",
    "VersionFile",
    "db",
    "utcnow",
]
