/* SPDX-License-Identifier: BSD-2-Clause */
/* File access rules for every command and the host inspection (fileio.h). */
#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* File-level errors have no byte offset. */
__attribute__((format(printf, 3, 4))) static int io_fail(od_err *e, int code, const char *fmt, ...)
{
	char msg[OD_ERR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	od_fail_nooff(e, code, "%s", msg);
	return code;
}

const char *od_file_type_name(mode_t m)
{
	if (S_ISREG(m))
		return "a regular file";
	if (S_ISDIR(m))
		return "a folder";
	if (S_ISLNK(m))
		return "a symbolic link";
	if (S_ISFIFO(m))
		return "a FIFO (named pipe)";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	if (S_ISSOCK(m))
		return "a socket";
	return "not a regular file";
}

int od_input_open(const char *path, struct stat *st, od_err *e)
{
	struct stat before;
	if (stat(path, &before) != 0)
		return io_fail(e, OD_E_IO, "cannot open %s: %s", path, strerror(errno)), -1;
	if (!S_ISREG(before.st_mode))
		return io_fail(e, OD_E_IO, "%s is %s; only regular files are read", path, od_file_type_name(before.st_mode)), -1;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return io_fail(e, OD_E_IO, "cannot open %s: %s", path, strerror(errno)), -1;
	if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode) || st->st_ino != before.st_ino || st->st_dev != before.st_dev) {
		close(fd);
		return io_fail(e, OD_E_IO, "%s changed while being opened; only regular files are read", path), -1;
	}
	/* Regular files ignore O_NONBLOCK; cleared anyway so reads stay plain. */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}

static void mib(char *buf, size_t n, unsigned long long bytes)
{
	snprintf(buf, n, "%llu MiB", (bytes + (1u << 20) - 1) >> 20);
}

int od_input_map(const char *path, size_t max, od_map *m, od_err *e)
{
	memset(m, 0, sizeof(*m));
	struct stat st;
	int fd = od_input_open(path, &st, e);
	if (fd < 0)
		return OD_E_IO;
	if ((unsigned long long)st.st_size > max) {
		char have[32], lim[32];
		close(fd);
		mib(have, sizeof(have), (unsigned long long)st.st_size);
		mib(lim, sizeof(lim), max);
		od_fail_nooff(e, OD_E_LIMIT, "%s is %s, above the input size limit of %s (--limit input=MiB raises it)", path,
			have, lim);
		return OD_E_LIMIT;
	}
	static const uint8_t empty[1];
	m->len = (size_t)st.st_size;
	m->data = empty;
	if (m->len) {
		void *p = mmap(NULL, m->len, PROT_READ, MAP_PRIVATE, fd, 0);
		if (p == MAP_FAILED) {
			int err = errno;
			close(fd);
			m->len = 0;
			return io_fail(e, OD_E_IO, "cannot map %s: %s", path, strerror(err));
		}
		m->data = p;
		m->mapped = true;
	}
	close(fd);
	return OD_OK;
}

void od_input_unmap(od_map *m)
{
	if (m->mapped)
		munmap((void *)m->data, m->len);
	memset(m, 0, sizeof(*m));
}

long od_input_read(const char *path, void *buf, size_t n)
{
	struct stat st;
	int fd = od_input_open(path, &st, NULL);
	if (fd < 0)
		return -1;
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, (uint8_t *)buf + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			close(fd);
			return got ? (long)got : -1;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	return (long)got;
}

int od_output_check(const char *path, bool force, od_err *e)
{
	struct stat st;
	if (lstat(path, &st) != 0) {
		if (errno == ENOENT)
			return OD_OK;
		return io_fail(e, OD_E_IO, "cannot write %s: %s", path, strerror(errno));
	}
	if (S_ISLNK(st.st_mode))
		return io_fail(e, OD_E_IO, "%s is a symbolic link; not written through (remove it or name the target)", path);
	if (!S_ISREG(st.st_mode))
		return io_fail(e, OD_E_IO, "%s is %s; only regular files are written or replaced", path, od_file_type_name(st.st_mode));
	if (!force)
		return io_fail(e, OD_E_IO, "%s exists (use --force to replace it)", path);
	return OD_OK;
}

static bool write_all(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	size_t done = 0;
	while (done < len) {
		ssize_t w = write(fd, p + done, len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		done += (size_t)w;
	}
	return true;
}

int od_output_write(const char *path, const void *buf, size_t len, bool force, od_err *e)
{
	OD_TRY(od_output_check(path, force, e));
	size_t n = strlen(path) + 16;
	char *tmp = malloc(n);
	if (!tmp)
		return od_fail(e, OD_E_NOMEM, 0, "path");
	snprintf(tmp, n, "%s.XXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		int err = errno;
		free(tmp);
		return io_fail(e, OD_E_IO, "cannot create %s: %s", path, strerror(err));
	}
	bool ok = write_all(fd, buf, len) && fchmod(fd, 0644) == 0 && fsync(fd) == 0;
	ok = close(fd) == 0 && ok;
	/* link() never replaces, closing the race between the check and here
	 * for new files; with force, check again right before rename() (which
	 * replaces the name, never writes through it). */
	int rc = OD_OK;
	if (!ok)
		rc = io_fail(e, OD_E_IO, "cannot write %s: %s", path, strerror(errno));
	else if (force && (rc = od_output_check(path, true, e)) == OD_OK && rename(tmp, path) != 0)
		rc = io_fail(e, OD_E_IO, "cannot write %s: %s", path, strerror(errno));
	else if (!force && link(tmp, path) != 0)
		rc = io_fail(e, OD_E_IO, "cannot write %s: %s", path,
			     errno == EEXIST ? "it exists (use --force to replace it)" : strerror(errno));
	unlink(tmp);
	free(tmp);
	return rc;
}
