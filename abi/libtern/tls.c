/*
 * Thread-local storage: every thread (the main one included) gets one block
 * holding the program's static TLS (the PT_TLS image: .tdata copied, .tbss
 * zeroed) directly below its struct tern_tcb, and %fs points at the TCB
 * (x86-64 variant II, so gcc's local-exec %fs:-offset accesses work).
 * newlib finds the thread's struct _reent through __getreent(), which makes
 * errno and the other per-thread libc state per thread.
 */
#include <string.h>
#include "internal.h"

#define AT_NULL		0
#define AT_PHDR		3
#define AT_PHNUM	5
#define PT_TLS		7
#define TCB_ALIGN	64

/* ELF64 program header, as the ELF specification lays it out. */
struct elf64_phdr {
	uint32_t p_type;
	uint32_t p_flags;
	uint64_t p_offset;
	uint64_t p_vaddr;
	uint64_t p_paddr;
	uint64_t p_filesz;
	uint64_t p_memsz;
	uint64_t p_align;
};

struct tern_tls_image tern_tls_image = { NULL, 0, 0, 1 };

void tern_tls_find(const uint64_t *auxv)
{
	const struct elf64_phdr *ph = NULL;
	uint64_t n = 0;

	for (; auxv && auxv[0] != AT_NULL; auxv += 2) {
		if (auxv[0] == AT_PHDR)
			ph = (const struct elf64_phdr *)auxv[1];
		else if (auxv[0] == AT_PHNUM)
			n = auxv[1];
	}
	for (uint64_t i = 0; ph && i < n; i++) {
		if (ph[i].p_type != PT_TLS)
			continue;
		tern_tls_image.init = (const void *)ph[i].p_vaddr;
		tern_tls_image.filesz = ph[i].p_filesz;
		tern_tls_image.memsz = ph[i].p_memsz;
		tern_tls_image.align = ph[i].p_align ? ph[i].p_align : 1;
	}
}

static size_t tls_align(void)
{
	return tern_tls_image.align > TCB_ALIGN ? tern_tls_image.align : TCB_ALIGN;
}

static size_t tls_block(void)
{
	size_t a = tern_tls_image.align;

	return (tern_tls_image.memsz + a - 1) & ~(a - 1);
}

size_t tern_tls_size(void)
{
	return tls_block() + sizeof(struct tern_tcb) + tls_align();
}

struct tern_tcb *tern_tls_place(void *top)
{
	uintptr_t tp = ((uintptr_t)top - sizeof(struct tern_tcb)) & ~(uintptr_t)(tls_align() - 1);
	struct tern_tcb *tcb = (struct tern_tcb *)tp;
	char *tls = (char *)tp - tls_block();

	if (tern_tls_image.filesz)
		memcpy(tls, tern_tls_image.init, tern_tls_image.filesz);
	memset(tls + tern_tls_image.filesz, 0, tls_block() - tern_tls_image.filesz);
	memset(tcb, 0, sizeof(*tcb));
	tcb->self = tcb;
	return tcb;
}

/* Runs before anything that may touch errno: nothing here may fail quietly. */
void tern_tls_init_main(void)
{
	size_t len = TERN_PAGE_ALIGN(tern_tls_size());
	long map = sys4(TERN_SYS_MMAP, 0, len, TERN_PROT_READ | TERN_PROT_WRITE, 0);
	struct tern_tcb *tcb;

	if (map < 0) {
		static const char msg[] = "libtern: no memory for the main thread's TLS\n";

		sys3(TERN_SYS_CONSOLE_WRITE, TERN_H_CONSOLE, msg, sizeof(msg) - 1);
		sys1(TERN_SYS_EXIT, 127);
	}
	tcb = tern_tls_place((char *)map + len);
	tcb->reent = _global_impure_ptr;
	tcb->tid = sys0(TERN_SYS_GETTID);
	tcb->alive = 1;
	tcb->detach = TCB_DETACHED;	/* nobody joins the main thread */
	tcb->map = (void *)map;
	tcb->map_len = len;
	sys1(TERN_SYS_SET_FS_BASE, tcb);
}

struct _reent *__getreent(void)
{
	return tern_self()->reent;
}
