// Reads two integers, prints their sum, through an Objective-C class.
#include <stdio.h>
#include <objc/Object.h>

@interface Adder : Object
+ (long)add:(long)a to:(long)b;
@end

@implementation Adder
+ (long)add:(long)a to:(long)b
{
	return a + b;
}
@end

int main(void)
{
	long a, b;

	if (scanf("%ld %ld", &a, &b) != 2)
		return 1;
	printf("%ld\n", [Adder add:a to:b]);
	return 0;
}
