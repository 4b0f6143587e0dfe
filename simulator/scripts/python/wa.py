import sys

a, b = map(int, sys.stdin.read().split())
# Off by one on purpose: the judge must answer WA.
print(a + b + 1)
