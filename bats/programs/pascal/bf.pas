{ Does not compile. }
program main;
begin
  x := ;
end.
