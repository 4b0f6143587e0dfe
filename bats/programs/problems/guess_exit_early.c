/*
 * guess_exit_early.c - gives up at once: prints nothing, exits 0. The
 * interactor meets the end of its output before any answer (WA), and
 * must not be killed by writing N into a closed pipe.
 */
int
main(void)
{
	return 0;
}
