# guess_binary.py - guess_binary.c in Python 3: binary search, every line
# flushed (print's default buffering would deadlock the game).
import sys


def main():
    first = sys.stdin.readline()
    if not first:
        return
    lo, hi, mid = 1, int(first), 1
    while lo <= hi:
        mid = (lo + hi) // 2
        print("?", mid, flush=True)
        reply = sys.stdin.readline().strip()
        if not reply:
            return
        if reply == "=":
            break
        if reply == "<":
            hi = mid - 1
        else:
            lo = mid + 1
    print("!", mid, flush=True)


main()
