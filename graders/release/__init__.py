"""forwardpass beyond this repository: the student kit, the Gradescope autograder, a student's submission."""
