import sys

a, b = map(int, sys.stdin.read().split())
zero = a - a
print((a + b) // zero)
