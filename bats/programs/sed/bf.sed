# Does not parse: the s command never ends.
s/a/b
