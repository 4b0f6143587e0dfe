// Sends a message to a class that does not answer it: the runtime aborts.
#include <stdio.h>
#include <objc/Object.h>

@interface Mute : Object
@end

@interface Mute (Promised)
+ (void)frobnicate;
@end

@implementation Mute
@end

int main(void)
{
	long a, b;

	if (scanf("%ld %ld", &a, &b) != 2)
		return 1;
	id m = [Mute class];

	[m frobnicate];
	printf("%ld\n", a + b);
	return 0;
}
