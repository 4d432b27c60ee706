/*
 * A plain C program of the kind a user builds with tern-cc and runs with
 * scripts/tern-run: stdio, stdlib, pthreads and mmap, nothing tern-specific.
 * Usage: hello [EXIT_CODE [WORDS...]]: prints the words, exits with the code.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

struct job {
	int from, to;
	long sum;
};

static void *add_up(void *arg)
{
	struct job *j = arg;

	for (int i = j->from; i < j->to; i++)
		j->sum += i;
	return NULL;
}

int main(int argc, char **argv)
{
	struct job jobs[2] = { { 0, 50000, 0 }, { 50000, 100000, 0 } };
	pthread_t t[2];
	char *page, *copy;

	printf("hello from %s on tern:", argv[0]);
	for (int i = 2; i < argc; i++)
		printf(" %s", argv[i]);
	printf("\n");

	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, add_up, &jobs[i]);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	printf("hello: two threads summed 0..99999 to %ld\n", jobs[0].sum + jobs[1].sum);

	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED) {
		perror("hello: mmap");
		return 125;
	}
	strcpy(page, "mmap works");
	copy = strdup(page);
	printf("hello: %s, malloc works, pi is about %.5f\n", copy, 355.0 / 113.0);
	free(copy);
	munmap(page, 4096);
	return argc > 1 ? atoi(argv[1]) : 0;
}
