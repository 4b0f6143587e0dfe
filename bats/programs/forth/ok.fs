\ Reads two integers from one line, prints their sum: the line itself is
\ Forth (two numbers), so evaluating it leaves them on the stack.
create buf 256 allot
buf 256 stdin read-line throw drop buf swap evaluate + 0 .r cr
