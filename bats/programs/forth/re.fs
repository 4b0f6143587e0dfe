\ Divides by zero: an exception nobody catches.
create buf 256 allot
buf 256 stdin read-line throw drop buf swap evaluate 0 * / . cr
