import sys

a, b = map(int, sys.stdin.read().split())
# Spins forever: the state never returns to the exit value.
x = 1
while x != 0:
    x = (x * 31 + 7) % 1000003 or 1
print(x)
