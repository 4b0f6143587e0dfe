// Spins forever.
void main()
{
	shared long n = 0;
	for (;;)
		n = n + 1;
}
