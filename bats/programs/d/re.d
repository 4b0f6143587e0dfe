// Throws an exception nobody catches: exit code 1.
import std.stdio;

void main()
{
	long a, b;
	readf(" %d %d", a, b);
	throw new Exception("no way");
}
