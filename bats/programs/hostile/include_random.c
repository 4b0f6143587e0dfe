/* Makes the compiler read an endless stream of random bytes. */
#include </dev/random>
int main(void) { return 0; }
