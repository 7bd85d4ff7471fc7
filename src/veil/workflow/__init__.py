"""The release gate's rules: accounts, releases, scans, approvals, publishing and the audit chain.

Everything here works on a `veil.store.Database` and knows nothing of the web; `veil serve` and the CLI are thin
faces over these functions. `Gate` (gate.py) bundles what they need: database, blob store, public site, scanner.
"""

from veil.workflow.errors import Forbidden, NotFound, Refused, WorkflowError
from veil.workflow.roles import ROLES, Role

__all__ = ["ROLES", "Forbidden", "NotFound", "Refused", "Role", "WorkflowError"]
