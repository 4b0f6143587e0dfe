# Does not parse: a brace is never closed.
proc f {x} {
    return [expr {$x + 1}
