# Calls sys.exit(0) at import, hoping an exit status of 0 means success.
# status: error
# fails: all
# message: sys.exit()
import sys

sys.exit(0)
