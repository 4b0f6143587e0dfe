--  Spins forever.
procedure Main is
   N : Integer := 0 with Volatile;
begin
   loop
      N := (N + 1) mod 1000;
   end loop;
end Main;
