/* The smallest program: starts and exits 0 (process create/exit cycles). */
int main(void)
{
	return 0;
}
