--  Allocates and touches 8 MiB blocks, keeping every one, until stopped.
with Ada.Text_IO; use Ada.Text_IO;

procedure Main is
   type Block is array (1 .. 8 * 1024 * 1024) of Character;
   type Block_Access is access Block;
   Keep : array (1 .. 512) of Block_Access;
begin
   for I in Keep'Range loop
      Keep (I) := new Block'(others => 'x');
   end loop;
   Put_Line (Keep (512) (1) & "");
end Main;
