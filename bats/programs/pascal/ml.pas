{ Allocates and fills 8 MiB blocks until it is stopped. }
program main;
var
  p: array[1..512] of pointer;
  i: integer;
begin
  for i := 1 to 512 do
  begin
    getmem(p[i], 8 shl 20);
    fillchar(p[i]^, 8 shl 20, 1);
  end;
  writeln('done');
end.
