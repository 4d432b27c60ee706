/* <tern/tern.h>: the tern-specific calls as POSIX-style wrappers (-1 with errno). */
#include <stdlib.h>
#include <string.h>
#include <tern/tern.h>
#include "internal.h"

int tern_spawn(int root, const void *elf, size_t len, const char *name,
	       const char *const argv[], const char *const envp[],
	       const int *handles, unsigned int nr_handles)
{
	struct tern_spawn sp;

	memset(&sp, 0, sizeof(sp));
	sp.name = (uint64_t)(uintptr_t)name;
	sp.argv = (uint64_t)(uintptr_t)argv;
	sp.envp = (uint64_t)(uintptr_t)envp;
	sp.handles = (uint64_t)(uintptr_t)handles;
	sp.nr_handles = nr_handles;
	return (int)sys_ret(sys4(TERN_SYS_PROCESS_CREATE, root, elf, len, &sp));
}

int tern_process_kill(int h)
{
	return (int)sys_ret(sys1(TERN_SYS_PROCESS_KILL, h));
}

int tern_process_wait(int h, int *status, uint64_t timeout_ns)
{
	long r = sys3(TERN_SYS_PROCESS_WAIT, h, status, timeout_ns);

	if (r == -EINTR)
		tern_signals_deliver();
	return (int)sys_ret(r);
}

int tern_module_info(int root, unsigned int index, struct tern_module_info *info)
{
	return (int)sys_ret(sys3(TERN_SYS_MODULE_INFO, root, index, info));
}

long tern_module_read(int root, unsigned int index, uint64_t offset, void *buf, size_t len)
{
	return sys_ret(sys5(TERN_SYS_MODULE_READ, root, index, offset, buf, len));
}

void *tern_module_load(int root, const char *name, size_t *len)
{
	struct tern_module_info info;

	for (unsigned int i = 0; tern_module_info(root, i, &info) == 0; i++) {
		size_t done = 0;
		char *buf;

		info.name[TERN_MODULE_NAME_MAX - 1] = '\0';
		if (strcmp(info.name, name) != 0)
			continue;
		buf = malloc(info.size ? info.size : 1);
		if (!buf) {
			errno = ENOMEM;
			return NULL;
		}
		while (done < info.size) {
			long r = tern_module_read(root, i, done, buf + done, info.size - done);

			if (r <= 0) {
				if (r == 0)
					errno = EIO;	/* shorter than its stated size */
				free(buf);
				return NULL;
			}
			done += (size_t)r;
		}
		if (len)
			*len = info.size;
		return buf;
	}
	/* errno is ENOENT from the info call past the last module (or its error). */
	return NULL;
}

int tern_power_off(int root)
{
	return (int)sys_ret(sys1(TERN_SYS_POWER_OFF, root));
}

int tern_handle_close(int h)
{
	return (int)sys_ret(sys1(TERN_SYS_HANDLE_CLOSE, h));
}

int tern_handle_dup(int h, uint32_t rights)
{
	return (int)sys_ret(sys2(TERN_SYS_HANDLE_DUP, h, rights));
}

int tern_handle_info(int h, struct tern_handle_info *info)
{
	return (int)sys_ret(sys2(TERN_SYS_HANDLE_INFO, h, info));
}

int tern_notify_create(uint64_t initial, uint32_t flags)
{
	return (int)sys_ret(sys2(TERN_SYS_NOTIFY_CREATE, initial, flags));
}

int tern_notify_signal(int h, uint64_t add)
{
	return (int)sys_ret(sys2(TERN_SYS_NOTIFY_SIGNAL, h, add));
}

int tern_notify_wait(int h, uint64_t *value, uint64_t timeout_ns)
{
	long r = sys3(TERN_SYS_NOTIFY_WAIT, h, value, timeout_ns);

	if (r == -EINTR)
		tern_signals_deliver();
	return (int)sys_ret(r);
}

int tern_wait_any(struct tern_wait_item *items, unsigned int n, uint64_t timeout_ns)
{
	long r = sys3(TERN_SYS_WAIT_ANY, items, n, timeout_ns);

	if (r == -EINTR)
		tern_signals_deliver();
	return (int)sys_ret(r);
}

int tern_mem_copy(void *dst, const void *src, size_t len)
{
	return (int)sys_ret(sys3(TERN_SYS_MEM_COPY, dst, src, len));
}

int tern_shm_create(size_t size)
{
	return (int)sys_ret(sys1(TERN_SYS_SHM_CREATE, size));
}

void *tern_shm_map(int h, void *addr, int prot, int flags)
{
	long r = sys4(TERN_SYS_SHM_MAP, h, addr, prot, flags);

	if (r < 0 && r > -4096) {
		errno = (int)-r;
		return (void *)-1;
	}
	return (void *)r;
}

long tern_gettid(void)
{
	return sys0(TERN_SYS_GETTID);
}

int tern_thread_set(long tid, enum tern_thread_attr attr, uint64_t value)
{
	return (int)sys_ret(sys3(TERN_SYS_THREAD_SET, tid, attr, value));
}

uint64_t tern_clock_ns(void)
{
	return tern_now_ns();
}

uint64_t tern_tsc_hz(void)
{
	return (uint64_t)sys0(TERN_SYS_TSC_HZ);
}
