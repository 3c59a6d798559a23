/*
 * fs_media.c - media files in a directory of the local file system (see
 * store_media.h, "files").
 *
 * Durability: a file is written under a temporary name made by mkstemp()
 * in the same directory (so the rename cannot cross file systems),
 * fsync'ed, renamed over its final name, and the directory is fsync'ed
 * so the rename itself survives a power cut. Only then does the caller
 * insert the row that points at it. Readers therefore see either no file
 * or the whole file, never a partial one. Files are created 0600: only
 * Parley reads them, and it sends them itself.
 */
#define _GNU_SOURCE
#include "store/store_media.h"
#include "lib/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char media_dir[1100];

static int name_ok(const char *name)
{
	return name && *name && name[0] != '.' && !strchr(name, '/') && strlen(name) < 128;
}

static int path_of(const char *name, char *out, size_t n)
{
	if (!media_dir[0] || !name_ok(name))
		return -1;
	return (size_t)snprintf(out, n, "%s/%s", media_dir, name) < n ? 0 : -1;
}

int store_media_files_open(const char *dir, char *err, size_t errlen)
{
	struct stat st;

	if ((size_t)snprintf(media_dir, sizeof media_dir, "%s", dir) >= sizeof media_dir) {
		media_dir[0] = '\0';
		snprintf(err, errlen, "media directory path too long");
		return -1;
	}
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		snprintf(err, errlen, "cannot create the media directory %s: %s", dir, strerror(errno));
		media_dir[0] = '\0';
		return -1;
	}
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s is not a directory", dir);
		media_dir[0] = '\0';
		return -1;
	}
	return 0;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

static int sync_dir(void)
{
	int fd = open(media_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

int store_media_file_put(const char *name, const void *data, size_t len)
{
	char tmp[1200], path[1200];
	int fd;

	if (path_of(name, path, sizeof path) < 0 ||
	    (size_t)snprintf(tmp, sizeof tmp, "%s/.tmp-XXXXXX", media_dir) >= sizeof tmp) {
		log_error("media: bad file name or directory for a new file");
		return -1;
	}
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		log_error("media: cannot create a file in %s: %s", media_dir, strerror(errno));
		return -1;
	}
	if (write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		log_error("media: cannot write %s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return -1;
	}
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		log_error("media: cannot put %s in place: %s", name, strerror(errno));
		unlink(tmp);
		return -1;
	}
	if (sync_dir() < 0) {
		log_error("media: cannot sync %s: %s", media_dir, strerror(errno));
		unlink(path);
		return -1;
	}
	return 0;
}

int store_media_file_get(const char *name, struct buf *out)
{
	char path[1200];
	struct stat st;
	int fd;

	if (path_of(name, path, sizeof path) < 0)
		return 1;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		if (errno == ENOENT)
			return 1;
		log_error("media: cannot open %s: %s", name, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || buf_reserve(out, (size_t)st.st_size) < 0) {
		log_error("media: cannot read %s (not a file, or too large)", name);
		close(fd);
		return -1;
	}
	/* read straight into the buffer; grow it only if the file grew */
	for (;;) {
		ssize_t r;

		if (out->cap - out->len < 2 && buf_reserve(out, 65536) < 0) {
			log_error("media: %s is larger than its buffer", name);
			close(fd);
			return -1;
		}
		r = read(fd, out->data + out->len, out->cap - out->len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			log_error("media: cannot read %s: %s", name, strerror(errno));
			close(fd);
			return -1;
		}
		if (r == 0)
			break;
		out->len += (size_t)r;
		out->data[out->len] = '\0';
	}
	close(fd);
	return 0;
}

int store_media_file_remove(const char *name)
{
	char path[1200];

	if (path_of(name, path, sizeof path) < 0)
		return -1;
	if (unlink(path) < 0 && errno != ENOENT) {
		log_error("media: cannot remove %s: %s", name, strerror(errno));
		return -1;
	}
	return 0;
}
