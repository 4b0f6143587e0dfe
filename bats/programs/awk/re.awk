# A regular expression made at run time that does not compile: mawk stops.
{ r = "(" $1; if ($0 ~ r) print "never" }
