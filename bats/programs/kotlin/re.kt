// Divides by zero: an uncaught ArithmeticException.
fun main() {
    val (a, b) = readLine()!!.trim().split(Regex("\\s+")).map { it.toInt() }
    println(a / (b - b))
}
