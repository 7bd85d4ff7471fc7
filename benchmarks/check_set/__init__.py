"""A held-out, labelled set of files for `veil check`, generated at run time from a seed (see README.md)."""
