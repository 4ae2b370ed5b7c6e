"""Sign in and out of the pages with a name and password; who is signed in."""

import functools
import time

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from models import User, db

from .paths import local_path

bp = Blueprint("signin", __name__)


def signed_in_user():
    """The user of this browser session, or None when signed out or expired."""
    user_id, since = session.get("user_id"), session.get("since", 0)
    if user_id is None:
        return None
    lifetime = current_app.permanent_session_lifetime.total_seconds()
    if time.time() - since > lifetime:
        session.clear()
        g.session_expired = True
        return None
    return db.session.get(User, user_id)


def page_user():
    """The signed-in user; views behind `signed_in` may rely on it."""
    return g.page_user


def signed_in(view):
    """Send a browser that is not signed in to the sign-in page, then back."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        user = signed_in_user()
        if user is None:
            if g.get("session_expired"):
                flash("Your session expired; please sign in again.")
            target = request.full_path if request.method == "GET" else None
            return redirect(url_for("signin.sign_in", next=local_path(target)))
        g.page_user = user
        return view(*args, **kwargs)

    return wrapper


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    """Ask for a name and password; start a session when they match."""
    error = None
    if request.method == "POST":
        name = request.form.get("name", "").strip()
        user = User.query.filter_by(name=name).one_or_none()
        if user is not None and user.check_password(request.form.get("password", "")):
            session.clear()
            session.permanent = True
            session.update(user_id=user.id, since=time.time())
            return redirect(local_path(request.args.get("next")) or home_for(user))
        error = "That name and password do not match."
    status = 401 if error else 200
    return render_template("sign_in.html", error=error), status


@bp.post("/sign-out")
def sign_out():
    """End the session."""
    session.clear()
    flash("You are signed out.")
    return redirect(url_for("signin.sign_in"))


@bp.get("/")
def home():
    """Where a person starts: the worklist for staff, the portal for clients."""
    user = signed_in_user()
    if user is None:
        return redirect(url_for("signin.sign_in"))
    return redirect(home_for(user))


def home_for(user):
    return url_for("worklist.index") if user.is_staff else url_for("portal.index")
