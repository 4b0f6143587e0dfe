// Does not compile.
class Broken
{
	static void Main()
	{
		int x = ;
	}
}
