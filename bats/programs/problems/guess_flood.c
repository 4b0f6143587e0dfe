/*
 * guess_flood.c - writes "? 1\n" without end and never reads an answer.
 * The interactor stops at its query limit (WA); the pipes fill, and the
 * judge must end the program rather than wait for it (TL at worst).
 * SIGPIPE is ignored and write errors too, so the program never dies of
 * its own accord: ending it is the judge's job.
 */
#include <signal.h>
#include <unistd.h>

int
main(void)
{
	static const char query[] = "? 1\n";

	signal(SIGPIPE, SIG_IGN);
	for (;;)
		if (write(STDOUT_FILENO, query, sizeof query - 1) < 0)
			continue;
}
