/*
 * Console input: prints "echo: ready", reads one line from the console
 * (read(0), which blocks on COM1's receive interrupt) and prints it back.
 * Exit code 0 when a non-empty line arrived.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	char line[128];
	size_t n = 0;

	printf("echo: ready\n");
	fflush(stdout);
	while (n < sizeof(line) - 1) {
		ssize_t r = read(0, &line[n], 1);

		if (r <= 0) {
			printf("echo: read failed after %zu bytes\n", n);
			return 1;
		}
		if (line[n] == '\n' || line[n] == '\r')
			break;
		n++;
	}
	line[n] = '\0';
	printf("echo: got '%s'\n", line);
	return n ? 0 : 1;
}
