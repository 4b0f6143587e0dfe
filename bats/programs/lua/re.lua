-- Raises an error at run time.
local a, b = io.read("n", "n")
error("no way: " .. a .. " / 0")
