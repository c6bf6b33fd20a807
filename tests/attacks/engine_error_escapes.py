# Writes terminal escape sequences (a title, a cleared screen, a forged green line, a right-to-left
# override) to its stderr, then leaves with the exit status the worker uses for its own failures:
# once the submission's code has started, that is the submission's doing, not the grader's failure.
# status: error
# fails: all
# message: ended the grading process early (exit status 71)
import os

os.write(2, b"\x1b]0;pwned\x07\x1b[2J\x1b[H\x1b[32mex01_my_model graded 12/12\x1b[0m \xe2\x80\xae\n")
os._exit(71)
