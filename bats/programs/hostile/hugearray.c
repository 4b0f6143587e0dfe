/* A 1 TiB static array. */
char a[1UL << 40];
int main(void) { a[12345] = 1; return a[(1UL << 40) - 1]; }
