// Spins forever.
@Volatile var n = 0

fun main() {
    while (true)
        n++
}
