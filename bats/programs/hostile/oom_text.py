# Writes Python's out-of-memory message to stderr, then answers right and exits 0.
import sys
sys.stderr.write("MemoryError: not really\n")
print(int(input()) * 2)
