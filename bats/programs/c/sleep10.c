/* Sleeps 10 s using no CPU: only the wall clock limit can stop it. */
#include <unistd.h>
int main(void) { sleep(10); return 0; }
