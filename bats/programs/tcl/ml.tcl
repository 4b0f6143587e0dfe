# Keeps distinct 1 MiB strings alive until memory runs out.
set s [string repeat x 1048576]
set keep {}
for {set i 0} {$i < 1024} {incr i} { lappend keep "$i$s" }
puts [llength $keep]
