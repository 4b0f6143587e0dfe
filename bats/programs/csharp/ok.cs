// Reads two integers, prints their sum. Main may sit in any class.
using System;

class Solution
{
	static void Main()
	{
		string[] w = Console.In.ReadToEnd().Split((char[])null,
		    StringSplitOptions.RemoveEmptyEntries);
		Console.WriteLine(long.Parse(w[0]) + long.Parse(w[1]));
	}
}
