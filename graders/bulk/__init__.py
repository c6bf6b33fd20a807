"""Grading a whole class: ``python -m graders grade SUBMISSIONS --out DIR``.

The pipeline, stage by stage (``run.grade_class`` composes them):

1. ``inputs``    find the students and their files in what the LMS exported (folders, zips);
2. ``roster``    match them to the course's roster, if there is one;
3. ``store``     skip what an earlier run already graded (SQLite in DIR, one row per result);
4. grade the rest on the engine, storing each result the moment it completes;
5. ``similarity`` the submissions that are alike, from their sources, for staff only;
6. ``gradebook``, ``feedback`` (+ ``graders.reporters.gradescope``), ``report`` (with ``stats``
   and ``mastery``), ``lms`` (the files the roster's LMS imports): the outputs;
7. ``terminal``  a progress bar while grading, a one-screen summary at the end.
"""
