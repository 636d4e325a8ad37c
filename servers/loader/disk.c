/* SPDX-License-Identifier: MIT */
/*
 * The loader's files (env->load_file): a program read from the path
 * namespace (sys/vfs.h: fs0 at "/", other volumes under /mnt) into a new
 * memory object by vfs_read_object, mapped here only while it is filled.
 * A file that is no ELF executable is refused before the validator sees it
 * (E_NOEXEC for an empty file or one without the ELF magic, checked while
 * the bytes are mapped); a directory is E_ISDIR. The
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

static const uint8_t elf_magic[4] = {0x7f, 'E', 'L', 'F'};

/* fs_read_object's check, while the file's bytes are mapped: an ELF file's first bytes. */
static long check_magic(const void *bytes, uint64_t size)
{
	return size < sizeof(elf_magic) || memcmp(bytes, elf_magic, sizeof(elf_magic)) ? E_NOEXEC
										       : E_OK;
}

long loader_load_file(const char *path, handle_t *image, uint32_t *size)
{
	static const struct fs_object_read how = {
		.max = LOADER_MAX_DISK_IMAGE, .va = LOADER_FILE_VA, .check = check_magic};
	static bool limited;
	uint64_t bytes;

	if (!limited) {
		vfs_set_timeout(LOADER_FS_TIMEOUT, LOADER_FS_ATTEMPTS);
		limited = true;
	}
	long err = vfs_read_object(path, &how, image, &bytes);
	if (err == E_RANGE && bytes == 0)
		err = E_NOEXEC; /* an empty file is no program */
	if (err == E_OK)
		*size = (uint32_t)bytes;
	return err;
}
