// Divides by zero: an unhandled DivideByZeroException.
using System;

class Crash
{
	static void Main()
	{
		string[] w = Console.In.ReadToEnd().Split((char[])null,
		    StringSplitOptions.RemoveEmptyEntries);
		int a = int.Parse(w[0]), b = int.Parse(w[1]);
		Console.WriteLine(a / (b - b));
	}
}
