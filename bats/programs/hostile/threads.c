/* Four threads spin for 800 ms of wall time; prints "done". */
#include <pthread.h>
#include <stdio.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *spin(void *arg)
{
	double end = *(double *)arg;
	volatile unsigned long x = 0;
	while (now() < end)
		x++;
	return NULL;
}

int main(void)
{
	pthread_t t[4];
	double end = now() + 0.8;

	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, spin, &end);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	puts("done");
	return 0;
}
