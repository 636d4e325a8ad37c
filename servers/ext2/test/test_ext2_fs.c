/* SPDX-License-Identifier: MIT */
/*
 * Host test of the fs protocol through the ext2 server's real handlers: the
 * client library (proto/fs.h) -> fake transport (fake_ipc.h) -> the decode
 * (libsys/proto/fs/server.c) -> fs.c -> the ext2 engine on an image that
 * genext2fs made from a folder this test writes. Data in several requests,
 * stat of a symlink and open through it, readdir, statfs, E_ROFS for each
 * change (and the image unchanged after), bad handles, a client that goes
 * away, and restarts after which the library attaches again, reopens its
 * files and reads the right bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../ext2fs.h"
#include "check.h"
#include "fake_ipc.h"
#include "sys/sys.h"

#define BUF_BYTES  (64u << 10)
#define DATA_BYTES 300000u

static uint8_t *disk, *pristine;
static size_t disk_bytes;
static uint8_t shared[BUF_BYTES]; /* the client's buffer, as the server maps it too */

/* What the fake system saw the handlers ask for. */
static struct {
	unsigned maps, unmaps, watches;
} sys_seen;

static long mem_read(void *ctx, uint64_t lba, uint32_t n, void *buf)
{
	size_t at = (size_t)lba * 512, len = (size_t)n * 512;

	(void)ctx;
	CHECK(at + len <= disk_bytes);
	memcpy(buf, disk + at, len);
	return E_OK;
}

static struct ext2_blockdev dev = {.sector_size = 512, .read = mem_read};

/* Every client's buffer is `shared`, whatever it attaches. */
static long fake_map(void *ctx, unsigned slot, handle_t mobj, uint8_t **buf, uint64_t *size)
{
	(void)ctx, (void)slot, (void)mobj;
	sys_seen.maps++;
	*buf = shared;
	*size = sizeof(shared);
	return E_OK;
}

static void fake_unmap(void *ctx, unsigned slot)
{
	(void)ctx, (void)slot;
	sys_seen.unmaps++;
}

static void fake_watch(void *ctx, uint64_t badge, bool on)
{
	(void)ctx, (void)badge, (void)on;
	sys_seen.watches++;
}

static const struct ext2_env env = {fake_map, fake_unmap, fake_watch};
static struct ext2_server esrv;
static struct fs_server fss = {.ops = &ext2_fs_ops, .ctx = &esrv};
static struct server srv;

/* A server instance over the image: a new one knows no client, as after a restart. */
static void new_instance(void)
{
	char why[EXT2_WHY_BYTES];

	if (esrv.vol)
		ext2_unmount(esrv.vol);
	memset(&esrv, 0, sizeof(esrv));
	esrv.env = &env;
	esrv.sector_size = 512;
	CHECK_EQ(ext2_mount(&dev, 0, &esrv.vol, why), E_OK);
	srv = fs_server(0, &fss);
}

static uint8_t pattern(uint64_t i)
{
	return (uint8_t)(i * 7 + (i >> 10));
}

/* A client of the server behind ep, its buffer `shared`. */
static struct fs_client client_for(handle_t ep)
{
	return (struct fs_client){
		.ep = ep, .buffer = fake_ipc_handle(), .data = shared, .timeout = TIMEOUT_NEVER};
}

static void test_data(struct fs_client *c)
{
	static uint8_t in[DATA_BYTES];
	struct fs_stat st;
	uint64_t done;
	int fd;

	CHECK_EQ(fs_open(c, "/data.bin", 0, &fd, &st), E_OK);
	CHECK_EQ(st.size, DATA_BYTES);
	CHECK_EQ(st.attr & (FS_STAT_DIR | FS_STAT_LINK), 0);
	CHECK_EQ(st.attr >> 16 & 0xF000, 0x8000);		       /* a regular file's mode */
	CHECK_EQ(st.modified >> 16, (2026u - 1980) << 9 | 3 << 5 | 4); /* touch -d 2026-03-04 */
	CHECK_EQ(fs_read(c, fd, 0, in, sizeof(in), &done), E_OK);      /* five requests */
	CHECK_EQ(done, DATA_BYTES);
	for (uint32_t i = 0; i < DATA_BYTES; i++)
		if (in[i] != pattern(i))
			CHECK_EQ(i, DATA_BYTES);
	CHECK_EQ(fs_read(c, fd, DATA_BYTES - 10, in, 100, &done), E_OK);
	CHECK_EQ(done, 10); /* stops at the end */
	CHECK_EQ(fs_fstat(c, fd, &st), E_OK);
	CHECK_EQ(fs_close(c, fd), E_OK);
	CHECK_EQ(fs_close(c, fd), E_BADHANDLE);
	CHECK_EQ(fs_stat(c, "/link", &st), E_OK); /* the link itself */
	CHECK(st.attr & FS_STAT_LINK);
	CHECK_EQ(st.size, strlen("sub/data2.bin"));
	CHECK_EQ(fs_open(c, "/link", 0, &fd, &st), E_OK); /* followed */
	CHECK_EQ(st.size, 5);
	CHECK_EQ(fs_read(c, fd, 0, in, 5, &done), E_OK);
	CHECK(memcmp(in, "five\n", 5) == 0);
	CHECK_EQ(fs_close(c, fd), E_OK);
	CHECK_EQ(fs_open(c, "/nothing", 0, &fd, &st), E_NOENT);
	CHECK_EQ(fs_open(c, "/data.bin", FS_O_DIR, &fd, &st), E_NOTDIR);
}

static void test_dirs(struct fs_client *c)
{
	static char name[FS_NAME_BYTES];
	struct fs_statfs sf;
	struct fs_stat st;
	uint64_t cookie = 0;
	unsigned seen = 0;
	char label[12];
	int fd;

	CHECK_EQ(fs_open(c, "/sub", FS_O_DIR, &fd, &st), E_OK);
	CHECK(st.attr & FS_STAT_DIR);
	while (fs_readdir(c, fd, &cookie, &st, name) == E_OK)
		seen += !strcmp(name, "data2.bin") && st.size == 5;
	CHECK_EQ(seen, 1);
	CHECK_EQ(fs_close(c, fd), E_OK);
	CHECK_EQ(fs_statfs(c, &sf, label), E_OK);
	CHECK_EQ(sf.type, FS_TYPE_EXT2);
	CHECK_EQ(sf.block_size, 1024);
	CHECK(!strcmp(label, "a-long-labe")); /* 16 bytes cut to the protocol's 11 */
}

static void test_read_only(struct fs_client *c)
{
	struct fs_stat st;
	uint64_t done;
	int fd;

	CHECK_EQ(fs_open(c, "/new", FS_O_CREATE, &fd, &st), E_ROFS);
	CHECK_EQ(fs_open(c, "/data.bin", FS_O_CREATE | FS_O_EXCL, &fd, &st), E_ROFS);
	CHECK_EQ(fs_open(c, "/data.bin", FS_O_TRUNC, &fd, &st), E_ROFS);
	CHECK_EQ(fs_mkdir(c, "/d"), E_ROFS);
	CHECK_EQ(fs_unlink(c, "/data.bin"), E_ROFS);
	CHECK_EQ(fs_rmdir(c, "/sub"), E_ROFS);
	CHECK_EQ(fs_rename(c, "/data.bin", "/x"), E_ROFS);
	CHECK_EQ(fs_settime(c, "/data.bin", FS_TIME_NOW), E_ROFS);
	CHECK_EQ(fs_open(c, "/data.bin", FS_O_CREATE, &fd, &st), E_OK); /* it exists: opened */
	CHECK_EQ(fs_write(c, fd, 0, "x", 1, &done), E_ROFS);
	CHECK_EQ(fs_truncate(c, fd, 0), E_ROFS);
	CHECK_EQ(fs_fsync(c, fd), E_OK);
	CHECK_EQ(fs_sync(c), E_OK);
	CHECK_EQ(fs_close(c, fd), E_OK);
	CHECK(memcmp(disk, pristine, disk_bytes) == 0);
}

/* The server restarts between and during calls: the library reopens and reads right. */
static void test_restart(struct fs_client *c)
{
	static uint8_t in[5000];
	uint64_t done;
	int fd;

	CHECK_EQ(fs_open(c, "/data.bin", 0, &fd, NULL), E_OK);
	new_instance(); /* knows no buffer and no handle */
	c->ep = fake_ipc_endpoint(&srv, 5);
	uint64_t before = c->reopened;
	CHECK_EQ(fs_read(c, fd, 1000, in, sizeof(in), &done), E_OK);
	CHECK_EQ(c->reopened, before + 1);
	for (uint32_t i = 0; i < sizeof(in); i++)
		CHECK_EQ(in[i], pattern(1000 + i));
	fake_ipc_fail_next(E_RESTARTED, 1, 0); /* a call in flight when it died */
	CHECK_EQ(fs_read(c, fd, 7, in, 3, &done), E_OK);
	CHECK(in[0] == pattern(7) && in[2] == pattern(9));
	CHECK_EQ(fs_close(c, fd), E_OK);
}

/* Before the volume is found (main.c's probing thread): every call that needs it, E_NOVOLUME. */
static void test_no_volume(void)
{
	struct ext2_vol *v = esrv.vol;
	struct fs_client c2 = client_for(fake_ipc_endpoint(&srv, 7));
	struct fs_statfs sf;
	struct fs_stat st;
	char label[12];
	int fd;

	esrv.vol = NULL;
	CHECK_EQ(fs_statfs(&c2, &sf, label), E_NOVOLUME);
	CHECK_EQ(fs_stat(&c2, "/data.bin", &st), E_NOVOLUME);
	CHECK_EQ(fs_open(&c2, "/data.bin", 0, &fd, &st), E_NOVOLUME);
	CHECK_EQ(fs_mkdir(&c2, "/d"), E_NOVOLUME);
	CHECK_EQ(fs_settime(&c2, "/data.bin", FS_TIME_NOW), E_NOVOLUME);
	CHECK_EQ(fs_attach(&c2), E_OK); /* needs no volume */
	esrv.vol = v;
	CHECK_EQ(fs_open(&c2, "/data.bin", 0, &fd, &st), E_OK);
	CHECK_EQ(fs_close(&c2, fd), E_OK);
}

static void test_client_gone(void)
{
	struct fs_client c2;
	uint8_t b[4];
	uint64_t done;
	int fd;
	handle_t ep = fake_ipc_endpoint(&srv, 99);

	c2 = client_for(ep);
	CHECK_EQ(fs_open(&c2, "/data.bin", 0, &fd, NULL), E_OK);
	CHECK_EQ(fs_read(&c2, fd, 0, b, 4, &done), E_OK); /* attaches its buffer */
	unsigned u = sys_seen.unmaps;
	struct ipc_msg gone = {.tag = IPC_TAG(IPC_LABEL_GONE, 1, 0, 0), .w = {99}};
	fake_ipc_event(ep, &gone);
	CHECK_EQ(sys_seen.unmaps, u + 1);
	struct ipc_msg m = {.tag = IPC_TAG(FS_FSTAT, 1, 0, 0), .w = {c2.files[fd].remote}};
	CHECK_EQ(ipc_call(ep, &m, TIMEOUT_NEVER), E_OK);
	CHECK_EQ((int16_t)IPC_TAG_LABEL(m.tag), E_BADHANDLE); /* its handles went with it */
}

/* The folder and the image: data.bin (single and double indirect blocks), sub/, a symlink. */
static void make_image(const char *dir)
{
	char path[300], cmd[700];

	snprintf(cmd, sizeof(cmd),
		 "mkdir -p %s/src/sub && printf 'five\\n' >%s/src/sub/data2.bin"
		 " && ln -s sub/data2.bin %s/src/link",
		 dir, dir, dir);
	CHECK_EQ(system(cmd), 0);
	snprintf(path, sizeof(path), "%s/src/data.bin", dir);
	FILE *f = fopen(path, "wb");
	for (uint32_t i = 0; f && i < DATA_BYTES; i++)
		fputc(pattern(i), f);
	CHECK(f && fclose(f) == 0);
	snprintf(cmd, sizeof(cmd),
		 "touch -d '2026-03-04 05:06:08 UTC' %s && genext2fs -q -d %s/src -b 2048 "
		 "-L a-long-label-cut %s/img >/dev/null 2>&1",
		 path, dir, dir);
	CHECK_EQ(system(cmd), 0);
	snprintf(path, sizeof(path), "%s/img", dir);
	f = fopen(path, "rb");
	disk_bytes = 2048 * 1024;
	disk = malloc(disk_bytes);
	pristine = malloc(disk_bytes);
	CHECK(f && disk && pristine && fread(disk, 1, disk_bytes, f) == disk_bytes);
	fclose(f);
	memcpy(pristine, disk, disk_bytes);
	dev.sectors = disk_bytes / 512;
}

int main(void)
{
	char dir[] = "/tmp/test_ext2_fs_XXXXXX", cmd[100];
	struct fs_client c;

	CHECK(mkdtemp(dir) != NULL);
	make_image(dir);
	fake_ipc_reset();
	new_instance();
	handle_t ep = fake_ipc_endpoint(&srv, 5);
	c = client_for(ep);
	test_data(&c);
	test_dirs(&c);
	test_read_only(&c);
	test_restart(&c);
	test_no_volume();
	test_client_gone();
	CHECK(sys_seen.maps >= 2 && sys_seen.watches >= 2);
	ext2_unmount(esrv.vol);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK_EQ(system(cmd), 0);
	free(disk);
	free(pristine);
	return check_summary("ext2_fs");
}
