# Dereferences a null pointer.
# status: error
# fails: all
# message: segmentation fault
import ctypes

ctypes.string_at(0)
