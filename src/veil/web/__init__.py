"""`veil serve`: the release gate's web face (FastAPI + Jinja2 + vendored HTMX). Routes are thin: they check
roles through one dependency (security.requires) and call veil.workflow."""

from veil.web.app import create_app

__all__ = ["create_app"]
