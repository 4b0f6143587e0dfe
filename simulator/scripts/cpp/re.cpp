#include <iostream>
#include <stdexcept>

int main()
{
	long long a, b;
	std::cin >> a >> b;
	// Uncaught exception: std::terminate, SIGABRT.
	throw std::runtime_error("deliberate failure");
	std::cout << a + b << "\n";
	return 0;
}
