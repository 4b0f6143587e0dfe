// Spins forever.
object Spin extends App {
  @volatile var n = 0
  while (true) n += 1
}
