# Keeps distinct 1 MiB buffers alive until memory runs out.
keep = []
for i in [0...4096]
  keep.push Buffer.alloc(1 << 20, i % 256)
console.log keep.length
