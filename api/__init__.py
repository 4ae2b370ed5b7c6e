"""The JSON API under /api: one blueprint per resource behind bearer tokens."""

from flask import Blueprint

from .auth import authenticate
from .cases import bp as cases_bp
from .deployments import bp as deployments_bp
from .requests import refuse_nul_in_url
from .stats import bp as stats_bp
from .tasks import bp as tasks_bp
from .versions import bp as versions_bp

bp = Blueprint("api", __name__, url_prefix="/api")
bp.before_request(refuse_nul_in_url)
bp.before_request(authenticate)
bp.register_blueprint(cases_bp)
bp.register_blueprint(tasks_bp)
bp.register_blueprint(versions_bp)
bp.register_blueprint(deployments_bp)
bp.register_blueprint(stats_bp)
