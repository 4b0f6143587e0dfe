// Prints the sum plus one: a wrong answer. main may be anywhere at the
// be anywhere at the top level of the file.
fun sum(a: Long, b: Long) = a + b + 1

fun main() {
    val (a, b) = readLine()!!.trim().split(Regex("\\s+")).map { it.toLong() }
    println(sum(a, b))
}
