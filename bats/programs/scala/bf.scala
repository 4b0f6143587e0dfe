// Does not compile: a type error.
object Broken {
  def main(args: Array[String]): Unit = {
    val x: Int = "a string"
    println(x)
  }
}
