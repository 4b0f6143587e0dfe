{ Divides by zero: runtime error 200. }
program main;
var
  a, b: int64;
begin
  readln(a, b);
  writeln(a div (b - b));
end.
