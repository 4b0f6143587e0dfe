// Keeps allocating and touching 8 MiB arrays until the heap is exhausted.
fun main() {
    val keep = ArrayList<ByteArray>()
    for (i in 0 until 512) {
        val b = ByteArray(8 shl 20)
        for (j in b.indices step 4096) b[j] = 1
        keep.add(b)
    }
    println(keep.size)
}
