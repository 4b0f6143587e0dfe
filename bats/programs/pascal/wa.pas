{ Prints the sum plus one: a wrong answer. }
program main;
var
  a, b: int64;
begin
  readln(a, b);
  writeln(a + b + 1);
end.
