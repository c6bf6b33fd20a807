# Writes its own frames into the grader's data channel.
# status: error
# fails: all
# message: interfered with the grader's data
import os

os.write(3, b"O\xff\xff\xff\xff" + b"x" * 100)
