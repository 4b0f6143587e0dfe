--  Does not compile.
procedure Main is
   X : Integer := ;
begin
   null;
end Main;
