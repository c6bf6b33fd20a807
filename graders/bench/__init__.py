"""Benchmarks (``make bench``): each module here measures one thing and prints its figures.

``__main__`` runs them in turn. Figures depend on the machine and its load; the tests never
assert on time, these do not assert at all: they print, with the targets next to them.
"""
