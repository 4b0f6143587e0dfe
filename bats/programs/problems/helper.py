# helper.py - a module of the multi-file Python submission (multi_main.py).


def add(a, b):
    return a + b
