#include <iostream>
#include <vector>

int main()
{
	long long a, b;
	std::cin >> a >> b;
	// 512 MiB in 1 MiB blocks, each filled with a non-zero byte and kept.
	std::vector<std::vector<char>> blocks;
	for (int i = 0; i < 512; i++)
		blocks.emplace_back(1 << 20, static_cast<char>(i % 127 + 1));
	long long sum = 0;
	for (const auto &blk : blocks)
		sum += blk[4096];
	std::cout << a + b + sum % 2 << "\n";
	return 0;
}
