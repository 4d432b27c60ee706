/* SDK sample: stdio (integers, floats), malloc/free/realloc, errno, argv and environ. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int failures;

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			failures++;					\
		}							\
	} while (0)

int main(int argc, char **argv)
{
	char buf[128];
	void *blocks[256];

	printf("argc=%d argv[0]=%s\n", argc, argc > 0 ? argv[0] : "(none)");
	snprintf(buf, sizeof(buf), "%d %u %ld %zu %x %.3f %e %g", -42, 42u, -1234567890123L,
		 (size_t)77, 0xbeef, 3.14159, 12345.678, 0.0001);
	printf("%s\n", buf);
	CHECK(strcmp(buf, "-42 42 -1234567890123 77 beef 3.142 1.234568e+04 0.0001") == 0);
	CHECK(strtod("2.5", NULL) == 2.5);

	for (int round = 0; round < 20; round++) {
		for (int i = 0; i < 256; i++) {
			size_t n = (size_t)(i * 97 + round * 13) % 8192 + 1;

			blocks[i] = malloc(n);
			CHECK(blocks[i] != NULL);
			memset(blocks[i], i, n);
		}
		for (int i = 0; i < 256; i += 2) {
			blocks[i] = realloc(blocks[i], 20000);
			CHECK(blocks[i] != NULL && ((unsigned char *)blocks[i])[0] == (unsigned char)i);
		}
		for (int i = 0; i < 256; i++)
			free(blocks[i]);
	}
	void *big = malloc(8 << 20);
	CHECK(big != NULL);
	free(big);

	errno = 0;
	CHECK(write(99, "x", 1) == -1 && errno == EBADF);
	CHECK(getpid() > 0);
	printf("%s: %d failures\n", failures ? "FAIL" : "PASS", failures);
	return failures ? 1 : 0;
}
