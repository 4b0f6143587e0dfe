// Does not compile: a type error.
fun main() {
    val x: Int = "a string"
    println(x)
}
