// Keeps allocating and touching 8 MiB arrays until the heap is exhausted.
def keep = []
for (i in 0..<512) {
    byte[] b = new byte[8 << 20]
    for (int j = 0; j < b.length; j += 4096) b[j] = 1
    keep << b
}
println(keep.size())
