// Throws an exception nobody catches: exit 1.
void main()
{
	throw new Exception("no way");
}
