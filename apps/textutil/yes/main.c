/* SPDX-License-Identifier: MIT */
/*
 * yes [word]: the word (default "y") on a line, for ever, until nobody
 * reads (E_PIPE ends it with 0) or it is stopped. Whole buffers at a time.
 */
#include <string.h>

#include "sys/errors.h"
#include "sys/stdio.h"

int main(int argc, char **argv)
{
	static char buf[4096];
	const char *word = argc > 0 ? argv[0] : "y";
	size_t n = strlen(word) + 1, used = 0;

	if (n > sizeof(buf))
		n = sizeof(buf);
	while (used + n <= sizeof(buf)) {
		memcpy(buf + used, word, n - 1);
		buf[used + n - 1] = '\n';
		used += n;
	}
	for (;;) {
		long err = write(STDOUT_FILENO, buf, used);
		if (err < 0)
			return err == E_PIPE ? 0 : 1;
	}
}
