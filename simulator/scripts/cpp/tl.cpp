#include <iostream>

int main()
{
	long long a, b;
	std::cin >> a >> b;
	// Volatile accesses are side effects, so this loop is neither removed
	// nor assumed to terminate.
	volatile unsigned long long spin = 0;
	for (;;)
		spin = spin + 1;
	std::cout << spin << "\n";
	return 0;
}
