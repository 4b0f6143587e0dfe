\ Prints the sum plus one: a wrong answer.
\ Forth (two numbers), so evaluating it leaves them on the stack.
create buf 256 allot
buf 256 stdin read-line throw drop buf swap evaluate + 1+ 0 .r cr
