"""The versions page: every process version, its files, making one current, and
deploying uploaded files (process owners; managers read)."""

from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)

from casework import deploy, versions
from casework.errors import BadRequest, Forbidden, NotFound
from models import ProcessVersion

from .signin import page_user, signed_in

bp = Blueprint("versions", __name__, url_prefix="/versions")
MEDIA_TYPES = {
    ".bpmn": "application/xml",
    ".dmn": "application/xml",
    ".json": "application/json",
}
EDITABLE = (".dmn", ".json")


def require_reader(user):
    """Managers and process owners see versions; nobody else does."""
    if not (user.is_manager or user.is_owner):
        raise Forbidden("process versions are for managers and process owners")


def require_owner(user):
    """Only process owners change versions."""
    if not user.is_owner:
        raise Forbidden("only process owners deploy or activate versions")


def deployed_message(done):
    """What the owner reads once a version is stored."""
    message = (
        f"Version {done.version.number} is deployed and current: new cases start on it."
    )
    if done.reranked:
        cases = "case" if done.reranked == 1 else "cases"
        message += f" {done.reranked} open {cases} got a new priority."
    return message


@bp.get("")
@signed_in
def index():
    """Every version, newest first, with its files; owners get the actions."""
    require_reader(page_user())
    return _page()


@bp.get("/<int:number>/files/<name>")
@signed_in
def download(number, name):
    """One file of a version, as a download."""
    require_reader(page_user())
    found = versions.version_file(number, name)
    suffix = name[name.rfind(".") :]
    headers = {
        "Content-Disposition": f'attachment; filename="{found.name}"',
        "X-Content-Type-Options": "nosniff",
        # An uploaded file is never run as a page of this site.
        "Content-Security-Policy": "sandbox",
    }
    mimetype = MEDIA_TYPES.get(suffix, "application/octet-stream")
    return Response(found.content, mimetype=mimetype, headers=headers)


@bp.post("/<int:number>/activate")
@signed_in
def activate(number):
    """Make a version the one new cases start on (also to roll back), re-ranking
    open cases with its table when asked; show why when that is refused."""
    if number > versions.MAX_VERSION:
        raise NotFound(f"no version {number}")
    rerank = deploy.rerank_flag(request.form.get("rerank"))

    try:
        done = deploy.activate(page_user(), number, rerank=rerank)
    except deploy.Refused as refused:
        return _page(problems=refused.problems, status=422)

    message = f"Version {done.version.number} is now current: new cases start on it."
    if done.reranked:
        cases = "case" if done.reranked == 1 else "cases"
        message += f" {done.reranked} open {cases} got a new priority."
    flash(message)
    return redirect(url_for("versions.index"))


@bp.post("")
@signed_in
def upload():
    """Deploy uploaded files over the current version's; show why when refused."""
    user = page_user()
    require_owner(user)
    # A file box left empty still sends a part, with no file name.
    files = request.files.items(multi=True)
    parts = [(field, f.filename, f.read()) for field, f in files if f.filename]
    note = request.form.get("note", "")

    try:
        uploads = deploy.collect_uploads(parts)
        rerank = deploy.rerank_flag(request.form.get("rerank"))
        done = deploy.deploy(user, uploads, note, rerank=rerank)
    except deploy.Refused as refused:
        return _page(problems=refused.problems, status=422)
    except BadRequest as bad:
        return _page(upload_error=bad.message, status=400)

    flash(deployed_message(done))
    return redirect(url_for("versions.index"))


def _page(problems=(), upload_error=None, status=200):
    listed = ProcessVersion.query.order_by(ProcessVersion.number.desc()).all()
    current = next((v for v in listed if v.is_current), None)
    files = current.files if current is not None else []
    editable = [f.name for f in files if f.name.endswith(EDITABLE)]
    page = render_template(
        "versions.html",
        versions=listed,
        current=current,
        editable=sorted(editable, key=lambda name: (not name.endswith(".dmn"), name)),
        problems=problems,
        upload_error=upload_error,
        note=request.form.get("note", "") if request.method == "POST" else "",
        rerank=request.form.get("rerank") == "true",
    )
    return page, status


def current_file(name):
    """The current version and its file `name`, or NotFound."""
    version = versions.current_version()
    found = next((f for f in version.files if f.name == name), None)
    if found is None:
        raise NotFound(f"the current version has no file {name}")
    return version, found
