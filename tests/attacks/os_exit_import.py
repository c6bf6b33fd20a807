# Leaves at once with os._exit(0), skipping every handler.
# status: error
# fails: all
# message: ended the grading process early
import os

os._exit(0)
