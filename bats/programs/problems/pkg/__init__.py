# pkg/__init__.py - makes pkg/ a package of the multi-file Python
# submission (multi_main.py): a file in a sub-directory.
