/* SPDX-License-Identifier: MIT */
/*
 * Host test of the path library (sys/vfs.h) over two real volumes: the
 * library -> the fs client stubs -> fake transport (fake_ipc.h) -> the fs
 * decode -> the FAT server's handlers (servers/fat/fs.c) on images that
 * mkfs.fat made: a FAT16 root ("/", fs0) and a FAT12 volume labelled SHARE
 * (fs1, so "/mnt/share"). Normalisation and mount resolution as tables,
 * then files by absolute and relative paths, directories with "mnt"
 * listed in "/", the listing of "/mnt", errors (E_XDEV between volumes,
 * E_BUSY for a mount point), a server restart under an open file, and
 * `fsck.fat -n` on both images at the end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../../servers/fat/fatfs.h"
#include "../vfs_impl.h"
#include "check.h"
#include "fake_ipc.h"
#include "sys/sys.h"

#define BUF_BYTES (64u << 10)

struct vol {
	const char *mkfs; /* mkfs.fat arguments */
	unsigned kib;
	char img[64];
	uint8_t *disk;
	struct fat_blockdev dev;
	struct fat_server fsrv;
	struct fs_server fss;
	struct server srv;
	uint8_t shared[BUF_BYTES];
	struct fs_client c;
};

static struct vol vols[2] = {{.mkfs = "-F 16 -s 1 -n ROOTVOL", .kib = 8192},
			     {.mkfs = "-F 12 -n SHARE", .kib = 2048}};

static bool share_up; /* whether the second volume's server "runs" */
static int discoveries;

/* The test's discovery: the second volume once its server is up (and not yet known). */
long vfs_discover(int upto)
{
	discoveries++;
	if (upto < 2 || !share_up || vfs_state.count != 1)
		return E_NOENT;
	return vfs_mount_add("/mnt/share", &vols[1].c, "fs1", "SHARE");
}

static long mem_read(void *ctx, uint64_t lba, uint32_t n, void *buf)
{
	memcpy(buf, ((struct vol *)ctx)->disk + lba * 512, (size_t)n * 512);
	return E_OK;
}

static long mem_write(void *ctx, uint64_t lba, uint32_t n, const void *buf)
{
	memcpy(((struct vol *)ctx)->disk + lba * 512, buf, (size_t)n * 512);
	return E_OK;
}

static long mem_flush(void *ctx)
{
	(void)ctx;
	return E_OK;
}

static long env_map(void *ctx, unsigned slot, handle_t mobj, uint8_t **buf, uint64_t *size)
{
	(void)slot, (void)mobj;
	*buf = ((struct vol *)ctx)->shared;
	*size = BUF_BYTES;
	return E_OK;
}

static void env_unmap(void *ctx, unsigned slot)
{
	(void)ctx, (void)slot;
}

static void env_watch(void *ctx, uint64_t badge, bool on)
{
	(void)ctx, (void)badge, (void)on;
}

static const struct fat_env env = {env_map, env_unmap, env_watch, NULL};

/* A server instance over v's image (a new one knows no client: as after a restart). */
static void new_instance(struct vol *v, uint64_t badge)
{
	if (v->fsrv.vol)
		CHECK_EQ(fat_unmount(v->fsrv.vol), E_OK);
	memset(&v->fsrv, 0, sizeof(v->fsrv));
	v->fsrv.env = &env;
	v->fsrv.env_ctx = v;
	if (fat_mount(&v->dev, NULL, &v->fsrv.vol) != E_OK) {
		fprintf(stderr, "test_vfs: %s does not mount\n", v->img);
		exit(1);
	}
	v->fss = (struct fs_server){.ops = &fat_fs_ops, .ctx = &v->fsrv};
	v->srv = fs_server(0, &v->fss);
	v->c.ep = fake_ipc_endpoint(&v->srv, badge);
}

static void make_volume(struct vol *v, int i)
{
	char cmd[256];

	snprintf(v->img, sizeof(v->img), "/tmp/test_vfs_%d_%d.img", (int)getpid(), i);
	snprintf(cmd, sizeof(cmd), "mkfs.fat %s -C %s %u >/dev/null", v->mkfs, v->img, v->kib);
	CHECK_EQ(system(cmd), 0);
	v->disk = malloc((size_t)v->kib << 10);
	FILE *f = fopen(v->img, "rb");
	CHECK(f && fread(v->disk, 1, (size_t)v->kib << 10, f) == (size_t)v->kib << 10);
	fclose(f);
	v->dev = (struct fat_blockdev){v,	  512,	    (uint64_t)v->kib * 2, 128, mem_read,
				       mem_write, mem_flush};
	v->c = (struct fs_client){
		.buffer = fake_ipc_handle(), .data = v->shared, .timeout = TIMEOUT_NEVER};
	new_instance(v, 10 + (uint64_t)i);
}

static void check_volume(struct vol *v)
{
	char cmd[256];

	CHECK_EQ(fat_unmount(v->fsrv.vol), E_OK);
	FILE *f = fopen(v->img, "wb");
	CHECK(f && fwrite(v->disk, 1, (size_t)v->kib << 10, f) == (size_t)v->kib << 10);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "fsck.fat -n %s >/dev/null", v->img);
	CHECK_EQ(system(cmd), 0);
	remove(v->img);
	free(v->disk);
}

static void join_is(const char *cwd, const char *path, const char *want)
{
	char out[VFS_PATH_MAX];

	CHECK_EQ(vfs_path_join(cwd, path, out, sizeof(out)), E_OK);
	if (strcmp(out, want) != 0)
		fprintf(stderr, "join(%s, %s) = %s, want %s\n", cwd, path, out, want);
	CHECK(strcmp(out, want) == 0);
}

static void test_join(void)
{
	char small[8], big[VFS_PATH_MAX + 8];

	join_is("/", "a/b", "/a/b");
	join_is("/x/y", "../z", "/x/z");
	join_is("/x/y", "./.././../..", "/");
	join_is("/x", "/abs//p/./q/", "/abs/p/q");
	join_is("/x", "..", "/");
	join_is("/", "..", "/");
	join_is("/a", "b/../../c", "/c");
	join_is("/", "...", "/...");
	join_is("/d", ".hidden", "/d/.hidden");
	CHECK_EQ(vfs_path_join("/", "", small, sizeof(small)), E_NOENT);
	CHECK_EQ(vfs_path_join("/", "/12345678", small, sizeof(small)), E_NAMETOOLONG);
	CHECK_EQ(vfs_path_join("/", "/123456", small, sizeof(small)), E_OK);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CHECK_EQ(vfs_path_join("/", big, small, sizeof(small)), E_NAMETOOLONG);
}

static void test_mount_resolution(void)
{
	const char *points[] = {"/", "/mnt/share", "/mnt/sh"}, *rest;

	CHECK_EQ(vfs_path_mount("/mnt/share/a", points, 3, &rest), 1);
	CHECK(!strcmp(rest, "/a"));
	CHECK_EQ(vfs_path_mount("/mnt/share", points, 3, &rest), 1);
	CHECK(!strcmp(rest, "/"));
	CHECK_EQ(vfs_path_mount("/mnt/shared", points, 3, &rest), 0);
	CHECK(!strcmp(rest, "/mnt/shared"));
	CHECK_EQ(vfs_path_mount("/mnt/sh/x", points, 3, &rest), 2);
	CHECK(!strcmp(rest, "/x"));
	CHECK_EQ(vfs_path_mount("/x", points + 1, 2, &rest), -1);
	CHECK_EQ(vfs_mount_add("/mnt/a/b", &vols[0].c, "fs9", ""), E_INVAL);
	CHECK_EQ(vfs_mount_add("/mnt/", &vols[0].c, "fs9", ""), E_INVAL);
	CHECK_EQ(vfs_mount_add("/other", &vols[0].c, "fs9", ""), E_INVAL);
}

/* Write whole, read back through another descriptor, relative and dotted paths. */
static void test_files(void)
{
	char buf[64], cwd[VFS_PATH_MAX];
	struct fs_stat st;

	CHECK_EQ(vfs_mkdir("/work"), E_OK);
	int fd = vfs_open("/work/a.txt", VFS_O_WRITE | VFS_O_CREATE | VFS_O_EXCL);
	CHECK(fd >= 0);
	CHECK_EQ(vfs_write(fd, "hello ", 6), 6);
	CHECK_EQ(vfs_write(fd, "world", 5), 5);
	CHECK_EQ(vfs_read(fd, buf, 4), E_RIGHTS);
	CHECK_EQ(vfs_close(fd), E_OK);
	CHECK_EQ(vfs_close(fd), E_BADHANDLE);
	CHECK_EQ(vfs_chdir("work"), E_OK);
	CHECK_EQ(vfs_getcwd(cwd, sizeof(cwd)), E_OK);
	CHECK(!strcmp(cwd, "/work"));
	CHECK_EQ(vfs_chdir("a.txt"), E_NOTDIR);
	fd = vfs_open("../work/./a.txt", VFS_O_READ);
	CHECK(fd >= 0);
	CHECK_EQ(vfs_read(fd, buf, sizeof(buf)), 11);
	CHECK(!memcmp(buf, "hello world", 11));
	CHECK_EQ(vfs_read(fd, buf, sizeof(buf)), 0);
	CHECK_EQ(vfs_lseek(fd, -5, VFS_SEEK_END), 6);
	CHECK_EQ(vfs_read(fd, buf, 3), 3);
	CHECK(!memcmp(buf, "wor", 3));
	CHECK_EQ(vfs_lseek(fd, -100, VFS_SEEK_CUR), E_INVAL);
	CHECK_EQ(vfs_lseek(fd, 0, 7), E_INVAL);
	CHECK_EQ(vfs_write(fd, "x", 1), E_RIGHTS);
	CHECK_EQ(vfs_close(fd), E_OK);
	fd = vfs_open("a.txt", VFS_O_WRITE | VFS_O_APPEND);
	CHECK_EQ(vfs_write(fd, "!", 1), 1);
	CHECK_EQ(vfs_fstat(fd, &st), E_OK);
	CHECK_EQ(st.size, 12);
	CHECK_EQ(vfs_fsync(fd), E_OK);
	CHECK_EQ(vfs_close(fd), E_OK);
	CHECK_EQ(vfs_open("a.txt", VFS_O_TRUNC), E_INVAL);
	CHECK_EQ(vfs_open("a.txt", 0x1000), E_INVAL);
	CHECK_EQ(vfs_open("nope", VFS_O_READ), E_NOENT);
	CHECK_EQ(vfs_open("/work", VFS_O_WRITE), E_ISDIR);
	CHECK_EQ(vfs_opendir("a.txt"), E_NOTDIR);
	CHECK_EQ(vfs_set_cwd("/"), E_OK);
}

/* Whether directory path lists name (as a directory if dir). */
static bool lists(const char *path, const char *name, bool dir)
{
	struct vfs_dirent e;
	bool found = false;
	long r;
	int fd = vfs_opendir(path);

	CHECK(fd >= 0);
	while ((r = vfs_readdir(fd, &e)) == 1) {
		CHECK(strcmp(e.name, ".") && strcmp(e.name, ".."));
		if (!strcmp(e.name, name))
			found = dir == !!(e.st.attr & FS_STAT_DIR);
	}
	CHECK_EQ(r, 0);
	CHECK_EQ(vfs_close(fd), E_OK);
	return found;
}

static void test_mounts(void)
{
	struct vfs_mount_info mi;
	struct fs_statfs sf;
	struct fs_stat st;
	char label[12];

	CHECK_EQ(vfs_mount_count(), 2);
	CHECK_EQ(vfs_mount_get(1, &mi), E_OK);
	CHECK(!strcmp(mi.at, "/mnt/share") && !strcmp(mi.endpoint, "fs1"));
	CHECK_EQ(vfs_mount_get(2, &mi), E_RANGE);
	CHECK(lists("/", "mnt", true) && lists("/", "work", true));
	CHECK(lists("/mnt", "share", true));
	CHECK(lists("/mnt/../work", "a.txt", false));
	CHECK_EQ(vfs_stat("/mnt", &st), E_OK);
	CHECK(st.attr & FS_STAT_DIR);
	CHECK_EQ(vfs_statfs("/mnt/share/", &sf, label), E_OK);
	CHECK_EQ(sf.type, 12);
	CHECK(!strncmp(label, "SHARE", 5));
	CHECK_EQ(vfs_statfs("/work", &sf, label), E_OK);
	CHECK_EQ(sf.type, 16);

	int fd = vfs_open("/mnt/share/b.txt", VFS_O_RDWR | VFS_O_CREATE);
	CHECK(fd >= 0);
	CHECK_EQ(vfs_write(fd, "on share", 8), 8);
	CHECK_EQ(vfs_close(fd), E_OK);
	CHECK(lists("/mnt/share", "b.txt", false));
	CHECK(!lists("/", "b.txt", false));
	CHECK_EQ(vfs_rename("/mnt/share/b.txt", "/work/b.txt"), E_XDEV);
	CHECK_EQ(vfs_rename("/mnt/share/b.txt", "/mnt/share/c.txt"), E_OK);
	CHECK_EQ(vfs_rmdir("/mnt/share"), E_BUSY);
	CHECK_EQ(vfs_rename("/mnt/share", "/mnt/x"), E_BUSY);
	CHECK_EQ(vfs_mkdir("/mnt/share"), E_EXISTS);
	CHECK_EQ(vfs_open("/mnt", VFS_O_WRITE), E_ISDIR);
	CHECK_EQ(vfs_chdir("/mnt/share"), E_OK);
	CHECK_EQ(vfs_stat("c.txt", &st), E_OK);
	CHECK_EQ(st.size, 8);
	CHECK_EQ(vfs_unlink("c.txt"), E_OK);
	CHECK_EQ(vfs_unlink("c.txt"), E_NOENT);
	CHECK_EQ(vfs_set_cwd("/"), E_OK);
	CHECK_EQ(vfs_sync(), E_OK);
	CHECK(!strcmp(vfs_strerror(E_NOENT), "no such file or directory"));
	CHECK(!strcmp(vfs_strerror(E_XDEV), "on another volume"));
	CHECK(!strcmp(vfs_strerror(E_NOTEMPTY), "directory not empty"));
}

/* The root's server restarts under an open file: reads go on at the right offset. */
static void test_restart(void)
{
	static uint8_t out[100000], in[100000];
	int fd = vfs_open("/big.bin", VFS_O_RDWR | VFS_O_CREATE | VFS_O_TRUNC);

	for (size_t i = 0; i < sizeof(out); i++)
		out[i] = (uint8_t)(i * 13 + (i >> 8));
	CHECK(fd >= 0);
	CHECK_EQ(vfs_write(fd, out, sizeof(out)), (long)sizeof(out));
	CHECK_EQ(vfs_fsync(fd), E_OK);
	CHECK_EQ(vfs_lseek(fd, 0, VFS_SEEK_SET), 0);
	CHECK_EQ(vfs_read(fd, in, 30000), 30000);
	new_instance(&vols[0], 20);
	CHECK_EQ(vfs_read(fd, in + 30000, sizeof(in) - 30000), (long)sizeof(in) - 30000);
	CHECK(!memcmp(in, out, sizeof(in)));
	CHECK(vols[0].c.reopened >= 1);
	CHECK_EQ(vfs_close(fd), E_OK);
	CHECK_EQ(vfs_unlink("/work/a.txt"), E_OK);
	CHECK_EQ(vfs_rmdir("/work"), E_OK);
}

/* A volume whose server comes after the first look is found when a path under /mnt asks. */
static void test_late_volume(void)
{
	struct fs_stat st;
	int before = discoveries;

	CHECK_EQ(vfs_stat("/nothing", &st), E_NOENT);
	CHECK_EQ(discoveries, before);			/* a path outside /mnt needs "/" only */
	CHECK_EQ(vfs_stat("/mnt/share", &st), E_NOENT); /* on "/": no such directory */
	CHECK_EQ(discoveries, before + 1);
	CHECK(!lists("/", "mnt", true));
	CHECK_EQ(vfs_mount_count(), 1);
	share_up = true;
	CHECK(!lists("/", "mnt", true)); /* a path outside /mnt does not look again */
	CHECK_EQ(vfs_stat("/mnt/share", &st), E_OK);
	CHECK(st.attr & FS_STAT_DIR);
	CHECK_EQ(vfs_mount_count(), 2);
	CHECK(lists("/", "mnt", true));
}

int main(void)
{
	fake_ipc_reset();
	test_join();
	for (int i = 0; i < 2; i++)
		make_volume(&vols[i], i);
	test_mount_resolution();
	vfs_reset();
	CHECK_EQ(vfs_mount_count(), 0);
	CHECK_EQ(vfs_open("/x", VFS_O_READ), E_NOENT); /* nothing mounted */
	vfs_reset();
	CHECK_EQ(vfs_mount_add("/", &vols[0].c, "fs0", "ROOTVOL"), E_OK);
	test_late_volume();
	CHECK_EQ(vfs_mount_add("/mnt/share", &vols[1].c, "fs1", "SHARE"), E_EXISTS);
	test_files();
	test_mounts();
	test_restart();
	for (int i = 0; i < 2; i++)
		check_volume(&vols[i]);
	return check_summary("vfs");
}
