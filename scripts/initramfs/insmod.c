// SPDX-License-Identifier: GPL-2.0-only
/*
 * insmod for amd-ga's QEMU guest: one finit_module() call per module, as
 * kmod's insmod makes. Busybox's insmod retries a failed finit_module()
 * with init_module(), so a module_init() that fails would run twice and
 * print its messages twice, which is not what users of kmod see.
 *
 * usage: insmod MODULE.ko [PARAM=VALUE...]
 * exit:  0, or the errno of the failed call (e.g. 16 for EBUSY)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char params[1024] = "";
	size_t len = 0;
	int fd, i, err;

	if (argc < 2) {
		fprintf(stderr, "usage: %s MODULE.ko [PARAM=VALUE...]\n", argv[0]);
		return 2;
	}
	for (i = 2; i < argc; i++) {
		int n = snprintf(params + len, sizeof(params) - len, "%s%s",
				 len ? " " : "", argv[i]);

		if (n < 0 || (size_t)n >= sizeof(params) - len) {
			fprintf(stderr, "insmod: parameters too long\n");
			return E2BIG;
		}
		len += n;
	}

	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		fprintf(stderr, "insmod: %s: %s\n", argv[1], strerror(err));
		return err;
	}
	err = syscall(SYS_finit_module, fd, params, 0) ? errno : 0;
	close(fd);
	if (err)
		fprintf(stderr, "insmod: %s: %s\n", argv[1], strerror(err));
	return err;
}
