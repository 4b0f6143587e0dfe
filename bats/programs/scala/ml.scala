// Keeps allocating and touching 8 MiB arrays until the heap is exhausted.
object Hog {
  def main(args: Array[String]): Unit = {
    val keep = scala.collection.mutable.ArrayBuffer[Array[Byte]]()
    for (i <- 0 until 512) {
      val b = new Array[Byte](8 << 20)
      for (j <- 0 until b.length by 4096) b(j) = 1
      keep += b
    }
    println(keep.size)
  }
}
