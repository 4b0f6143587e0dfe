// Prints the sum plus one: a wrong answer.
import std.stdio;

void main()
{
	long a, b;
	readf(" %d %d", a, b);
	writeln(a + b + 1);
}
