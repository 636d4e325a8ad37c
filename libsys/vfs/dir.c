/* SPDX-License-Identifier: MIT */
/*
 * The path library's directory listings (sys/vfs.h): a volume's directory
 * through FS_READDIR without "." and "..", the root of "/" with "mnt" after
 * its own entries while other volumes are mounted (unless the volume has a
 * "mnt" of its own), and "/mnt" itself, which lists the mount points.
 */
#include <string.h>

#include "sys/errors.h"
#include "vfs_impl.h"

int vfs_opendir(const char *path)
{
	return vfs_open(path, VFS_O_READ | VFS_O_DIR);
}

static bool dot_or_dotdot(const char *name)
{
	return !strcmp(name, ".") || !strcmp(name, "..");
}

static bool is_mnt(const char *name)
{
	return (name[0] | 0x20) == 'm' && (name[1] | 0x20) == 'n' && (name[2] | 0x20) == 't' &&
	       !name[3];
}

static long entry(struct vfs_dirent *e, const char *name)
{
	e->st = (struct fs_stat){.attr = FS_STAT_DIR};
	vfs_copy(e->name, name, sizeof(e->name));
	return 1;
}

static long readdir_mnt(struct vfs_file *f, struct vfs_dirent *e)
{
	if (f->next_mount >= vfs_state.count)
		return 0;
	return entry(e, vfs_state.mounts[f->next_mount++].at + sizeof(VFS_MOUNT_DIR));
}

/* The next entry of a volume's directory; after the root's last, "mnt". */
static long readdir_volume(struct vfs_file *f, struct vfs_dirent *e)
{
	struct fs_client *c = vfs_state.mounts[f->mount].c;
	long err;

	do
		err = fs_readdir(c, f->fd, &f->off, &e->st, e->name);
	while (err == E_OK && dot_or_dotdot(e->name));
	if (err == E_OK) {
		f->mnt_done |= f->root && is_mnt(e->name);
		return 1;
	}
	if (err != E_NOENT) /* E_NOENT: past the last entry */
		return err;
	if (f->root && !f->mnt_done)
		vfs_mounts_all();
	if (f->root && !f->mnt_done && vfs_has_mnt()) {
		f->mnt_done = true;
		return entry(e, VFS_MOUNT_DIR + 1);
	}
	return 0;
}

long vfs_readdir(int fd, struct vfs_dirent *e)
{
	struct vfs_file *f = vfs_file_get(fd, VFS_FREE);

	if (!f || !e)
		return E_BADHANDLE;
	if (f->kind == VFS_FILE)
		return E_NOTDIR;
	return f->kind == VFS_MNTDIR ? readdir_mnt(f, e) : readdir_volume(f, e);
}
