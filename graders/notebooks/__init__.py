"""Notebooks: the exercises as an nbgrader course, graded through forwardpass (see course.py)."""
