--  Raises Constraint_Error (a division by zero) at run time.
with Ada.Integer_Text_IO; use Ada.Integer_Text_IO;

procedure Main is
   A, B : Integer;
begin
   Get (A);
   Get (B);
   Put (A / (B - B));
end Main;
