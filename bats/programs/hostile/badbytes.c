/* Writes every byte value, malformed UTF-8 sequences (lone continuation
 * bytes, overlong forms, surrogates, truncated sequences) and terminal
 * escapes to stdout and stderr. */
#include <stdio.h>
int main(void)
{
	static const char bad[] = "\x80\xbf\xc0\xaf\xe0\x80\xaf\xed\xa0\x80\xf4\x90\x80\x80"
	    "\xf8\x88\x80\x80\x80\xfe\xff\xe2\x82\x1b]0;title\x07\x1b[2J\"\\\x00\xc3";
	int c;
	for (c = 0; c < 256; c++)
		putchar(c);
	fwrite(bad, 1, sizeof bad - 1, stdout);
	fwrite(bad, 1, sizeof bad - 1, stderr);
	return 0;
}
