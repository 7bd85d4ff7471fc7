"""Incident response: who was exposed (linkage to the roster); access logs, holds and notifications follow."""
