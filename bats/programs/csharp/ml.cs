// Allocates and touches 8 MiB arrays, keeping every one, until stopped.
using System;
using System.Collections.Generic;

class Hog
{
	static void Main()
	{
		var keep = new List<byte[]>();
		for (int i = 0; i < 512; i++) {
			var b = new byte[8 << 20];
			for (int j = 0; j < b.Length; j += 4096)
				b[j] = 1;
			keep.Add(b);
		}
		Console.WriteLine(keep.Count);
	}
}
