// Does not compile.
void main()
{
	int x = ;
}
