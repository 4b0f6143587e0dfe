# Allocates and touches 8 MiB blocks, keeping every one, until stopped.
var keep: seq[seq[byte]]
for i in 0 ..< 512:
  var b = newSeq[byte](8 shl 20)
  for j in countup(0, b.high, 4096):
    b[j] = byte(i mod 256)
  keep.add(b)
echo keep.len
