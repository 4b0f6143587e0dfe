#include <iostream>

int main()
{
	long long a, b;
	std::cin >> a >> b;
	// Off by one on purpose: the judge must answer WA.
	std::cout << a + b + 1 << "\n";
	return 0;
}
