/* SPDX-License-Identifier: MIT */
/*
 * The loader's files (env->load_file): a program read from the path
 * namespace (sys/vfs.h: fs0 at "/", other volumes under /mnt) into a new
 * memory object, mapped here only while it is filled. A file that is no
 * ELF executable is refused before the validator sees it (E_NOEXEC for an
 * empty file or one without the ELF magic); a directory is E_ISDIR. The
 * path library's calls are kept short (LOADER_FS_TIMEOUT) and sent at most
 * twice (LOADER_FS_ATTEMPTS: once more after a server restart, which the
 * new instance answers with the state it lost): a restart of fs0 needs
 * this loader to start the new instance, so waiting long for it would wait
 * for ourselves.
 */
#include <string.h>

#include "loader.h"
#include "sys/errors.h"
#include "sys/sys.h"
#include "sys/units.h"
#include "sys/vfs.h"

#define LOADER_FILE_VA	   0x0000660000000000ull /* where a file is read into */
#define LOADER_FS_TIMEOUT  (1500 * MS)		 /* below the heartbeat's period */
#define LOADER_FS_ATTEMPTS 2
#define PAGE		   4096u

static const uint8_t elf_magic[4] = {0x7f, 'E', 'L', 'F'};

/* The file's bytes into the object mapped at LOADER_FILE_VA. */
static long fill(int fd, uint64_t size)
{
	uint8_t *dst = (uint8_t *)LOADER_FILE_VA;
	uint64_t off = 0;

	while (off < size) {
		long got = vfs_pread(fd, dst + off, size - off, off);
		if (got < 0)
			return got;
		if (got == 0)
			return E_NOEXEC; /* shorter than it said: changed under us */
		off += (uint64_t)got;
	}
	return memcmp(dst, elf_magic, sizeof(elf_magic)) ? E_NOEXEC : E_OK;
}

/* A new object with the file's size bytes in it. */
static long read_into_object(int fd, uint64_t size, handle_t *image)
{
	uint64_t bytes = (size + PAGE - 1) & ~(uint64_t)(PAGE - 1);
	long m = sys_mobj_create(bytes, 0);
	long err = m < 0 ? m
			 : sys_mobj_map(HANDLE_SELF, (handle_t)m, LOADER_FILE_VA, 0, bytes,
					R_READ | R_WRITE);
	if (err >= 0) {
		err = fill(fd, size);
		sys_unmap(HANDLE_SELF, LOADER_FILE_VA, bytes);
	}
	if (err < 0 && m >= 0)
		sys_handle_close((handle_t)m);
	*image = (handle_t)m;
	return err < 0 ? err : E_OK;
}

long loader_load_file(const char *path, handle_t *image, uint32_t *size)
{
	static bool limited;
	struct fs_stat st;

	if (!limited) {
		vfs_set_timeout(LOADER_FS_TIMEOUT, LOADER_FS_ATTEMPTS);
		limited = true;
	}
	int fd = vfs_open(path, VFS_O_READ);
	if (fd < 0)
		return fd;
	long err = vfs_fstat(fd, &st);
	if (err == E_OK && (st.attr & FS_STAT_DIR))
		err = E_ISDIR;
	else if (err == E_OK && st.size < sizeof(elf_magic))
		err = E_NOEXEC;
	else if (err == E_OK && st.size > LOADER_MAX_DISK_IMAGE)
		err = E_RANGE;
	if (err == E_OK)
		err = read_into_object(fd, st.size, image);
	vfs_close(fd);
	if (err == E_OK)
		*size = (uint32_t)st.size;
	return err;
}
