import sys
wrote = 0
for path in ("/etc/scrc-pwned", "/usr/lib/scrc-pwned", "/scrc-pwned"):
    try:
        with open(path, "w") as f:
            f.write("pwned\n")
        print("WROTE", path)
        wrote += 1
    except OSError as e:
        print("blocked", path, e.strerror)
sys.exit(wrote)
