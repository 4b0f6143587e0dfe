-- Keeps distinct 1 MiB strings alive until memory runs out.
local keep, s = {}, string.rep("x", 1 << 20)
while true do keep[#keep + 1] = s .. #keep end
