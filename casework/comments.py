"""Comments on a case: staff talk among themselves, or to the client."""

from models import Comment, db

from .access import case_for
from .errors import Forbidden, Invalid
from .transaction import atomic

MAX_COMMENT = 5000


def comments_on(user, case):
    """The comments `user` may read: clients only those meant for them."""
    query = Comment.query.filter_by(case_id=case.id).order_by(Comment.id)
    if not user.is_staff:
        query = query.filter_by(for_client=True)
    return query.all()


def add_comment(user, case_number, body, for_client):
    """Add a comment; a client's comment is always visible to its firm."""
    return atomic(lambda: _add(user, case_number, body, for_client))


def _add(user, case_number, body, for_client):
    case = case_for(user, case_number)
    text = (body or "").strip()
    if not text:
        raise Invalid("the comment is empty", fields={"body": ["Write a comment."]})
    if len(text) > MAX_COMMENT:
        message = f"At most {MAX_COMMENT} characters."
        raise Invalid("the comment is too long", fields={"body": [message]})
    if "\x00" in text:
        raise Invalid("the comment has a NUL character", fields={"body": ["Bad text."]})
    if not user.is_staff and not user.is_client:
        raise Forbidden("only staff and the case's clients comment")
    comment = Comment(
        case_id=case.id,
        author_id=user.id,
        author=user.name,
        body=text,
        for_client=bool(for_client) or not user.is_staff,
    )
    db.session.add(comment)
    return comment
