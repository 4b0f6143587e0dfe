import sys

a, b = map(int, sys.stdin.read().split())
# Keeps 512 MiB of filled (so really touched) 1 MiB blocks alive.
chunks = []
for i in range(512):
    chunks.append(bytes([i & 255]) * (1 << 20))
print(a + b + len(chunks))
