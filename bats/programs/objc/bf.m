// Does not compile.
int main(void)
{
	int x = ;
}
