# Quits with exit status 3 before printing anything: a runtime error.
Q3
