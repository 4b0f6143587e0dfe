// Does not compile.
void main()
{
	return undeclared_thing;
}
