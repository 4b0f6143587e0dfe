// Reads two integers, prints their sum. main sits after a helper: it may
// be anywhere at the top level of the file.
fun sum(a: Long, b: Long) = a + b

fun main() {
    val (a, b) = readLine()!!.trim().split(Regex("\\s+")).map { it.toLong() }
    println(sum(a, b))
}
