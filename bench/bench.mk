# In-core exit benchmarks: `make bench` boots tern with `bench poweroff` on
# QEMU (SVM) and Bochs (VMX) and prints a table. Figures, not tests.
.PHONY: bench
bench: deps all
	@bench/run.sh
