// Keeps allocating and touching 8 MiB blocks until it is stopped.
import std.stdio;

void main()
{
	ubyte[][] keep;
	foreach (i; 0 .. 512) {
		auto b = new ubyte[8 << 20];
		b[] = 1;
		keep ~= b;
	}
	writeln(keep.length);
}
