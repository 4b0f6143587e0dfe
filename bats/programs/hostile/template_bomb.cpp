// Unbounded template recursion, two instantiations per level.
template <unsigned long N> struct Boom {
	static const unsigned long value = Boom<N + 1>::value + Boom<N * 2 + 1>::value;
};
int main() { return (int)Boom<1>::value; }
