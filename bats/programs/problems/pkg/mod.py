# pkg/mod.py - a module inside the package of the multi-file Python
# submission (multi_main.py).


def show(v):
    return str(v)
