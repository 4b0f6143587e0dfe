--  Prints the sum plus one: a wrong answer.
with Ada.Integer_Text_IO; use Ada.Integer_Text_IO;
with Ada.Text_IO; use Ada.Text_IO;

procedure Main is
   A, B : Integer;
begin
   Get (A);
   Get (B);
   Put (A + B + 1, Width => 0);
   New_Line;
end Main;
