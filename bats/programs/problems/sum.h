/*
 * sum.h - one of the extra files of the multi-file C submission
 * (multi_main.c): a header beside the source.
 */
#ifndef SUM_H
#define SUM_H

static inline long
sum(long a, long b)
{
	return a + b;
}

#endif /* SUM_H */
