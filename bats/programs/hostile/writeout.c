/* Tries to create files outside the writable directories. Prints one
 * line per path; exits with the number of paths it managed to write. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
	const char *paths[] = { "/etc/scrc-pwned", "/usr/scrc-pwned", "/scrc-pwned",
	    "/usr/bin/scrc-pwned", "/etc/passwd" };
	int i, wrote = 0;

	for (i = 0; i < 5; i++) {
		FILE *f = fopen(paths[i], "a");
		if (f == NULL) {
			printf("blocked %s: %s\n", paths[i], strerror(errno));
			continue;
		}
		fputs("pwned\n", f);
		fclose(f);
		printf("WROTE %s\n", paths[i]);
		wrote++;
	}
	return wrote;
}
