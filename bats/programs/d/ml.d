// Allocates and fills 8 MiB blocks until it is stopped.
import std.stdio;

void main()
{
	ubyte[][] keep;
	foreach (i; 0 .. 512) {
		auto c = new ubyte[](8 << 20);
		c[] = 1;
		keep ~= c;
	}
	writeln(keep.length);
}
