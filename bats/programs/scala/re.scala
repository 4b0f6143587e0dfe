// Divides by zero: an uncaught ArithmeticException.
object Crash {
  def main(args: Array[String]): Unit = {
    val Array(a, b) = scala.io.StdIn.readLine().trim.split("\\s+").map(_.toInt)
    println(a / (b - b))
  }
}
