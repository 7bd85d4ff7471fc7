"""Renderers: one function per output format, all over the same FileResult list."""
