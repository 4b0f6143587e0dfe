# multi_main.py - a Python submission in several files: a module beside
# it (helper.py) and a package (pkg/__init__.py, pkg/mod.py), which must
# be importable at run time, not only present at the syntax check.
# Prints a + b.
from helper import add
import pkg.mod

a, b = map(int, input().split())
print(pkg.mod.show(add(a, b)))
