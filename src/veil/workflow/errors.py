"""Workflow errors. Messages are shown to users: they name files, releases and rules, never personal values.

    VeilError (veil.errors)
    └── WorkflowError
        ├── Refused     a rule forbids this (self-approval, unapproved bytes, ...): HTTP 409
        ├── Forbidden   the user lacks the role: HTTP 403
        ├── NotFound    no such release/file/user: HTTP 404
        └── Invalid     bad input (empty title, unsafe path): HTTP 422
"""

from veil.errors import VeilError


class WorkflowError(VeilError):
    status = 400


class Refused(WorkflowError):
    status = 409


class Forbidden(WorkflowError):
    status = 403


class NotFound(WorkflowError):
    status = 404


class Invalid(WorkflowError):
    status = 422
