/*
 * Port I/O exits. The owner sees every port access as an io exit whose data
 * is in v->pio_data (io.count elements of io.size bytes); string I/O is
 * copied between guest memory and pio_data here, one chunk per guest page.
 * IN data the owner provides after returning false is taken at the start of
 * the next vcpu_run_loop (pio_complete_pending).
 */
#ifndef HV_PIO_H
#define HV_PIO_H

#include "hv/vcpu.h"

/* Handles EXIT_IO. true: resume the guest; false: leave the run loop. */
bool pio_exit(struct vcpu *v, struct vcpu_exit *e, vcpu_exit_fn owner, void *ctx);

/* Finishes a pending IN/INS with the data now in v->pio_data. */
void pio_complete_pending(struct vcpu *v);

#endif
