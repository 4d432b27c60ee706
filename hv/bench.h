/* In-core exit benchmarks (command-line word `bench`). */
#ifndef HV_BENCH_H
#define HV_BENCH_H

/* Measures CPUID exits handled in the core through vcpu_run_loop and the
 * backend's bare round trip in the same run; prints one line per measure and
 * their ratio. Figures only: nothing here passes or fails. */
void bench_run(void);

#endif
