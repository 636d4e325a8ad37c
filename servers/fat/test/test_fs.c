/* SPDX-License-Identifier: MIT */
/*
 * Host test of the fs protocol through the FAT server's real handlers: the
 * client library (proto/fs.h) -> fake transport (fake_ipc.h) -> the
 * decode (libsys/proto/fs/server.c) -> fs.c -> the FAT engine on a FAT16
 * image that mkfs.fat made. This file: the harness (the image in memory,
 * server instances, clients) and the protocol's requests: data through the
 * attached buffer in several requests, open's flags, directories, rename,
 * errors, listings in batches, malformed requests built by hand, times,
 * and a server restart after which the library attaches again, reopens its
 * files and reads the right bytes. test_fs_handles.c: handles, two on one
 * file and two clients, and clients that go away. The tests run in order
 * on one volume (later ones use files earlier ones made); at the end the
 * image goes back to disk and `fsck.fat -n` must find it clean.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "sys/sys.h"
#include "test_fs.h"

#define IMG_BYTES (8u << 20)

static uint8_t *disk;
static uint8_t shared[BUF_BYTES]; /* the client's buffer, as the server maps it too */
static unsigned maps, watches;
unsigned unmaps;

static long mem_read(void *ctx, uint64_t lba, uint32_t n, void *buf)
{
	(void)ctx;
	memcpy(buf, disk + lba * 512, (size_t)n * 512);
	return E_OK;
}

static long mem_write(void *ctx, uint64_t lba, uint32_t n, const void *buf)
{
	(void)ctx;
	memcpy(disk + lba * 512, buf, (size_t)n * 512);
	return E_OK;
}

static long mem_flush(void *ctx)
{
	(void)ctx;
	return E_OK;
}

static struct fat_blockdev dev = {NULL, 512, IMG_BYTES / 512, 128, mem_read, mem_write, mem_flush};

static long env_map(void *ctx, unsigned slot, handle_t mobj, uint8_t **buf, uint64_t *size)
{
	(void)ctx, (void)slot, (void)mobj;
	maps++;
	*buf = shared;
	*size = BUF_BYTES;
	return E_OK;
}

static void env_unmap(void *ctx, unsigned slot)
{
	(void)ctx, (void)slot;
	unmaps++;
}

static void env_watch(void *ctx, uint64_t badge, bool on)
{
	(void)ctx, (void)badge, (void)on;
	watches++;
}

unsigned dirtied; /* env_dirtied's calls: fat's main.c arms its write-back tick there */

static void env_dirtied(void *ctx)
{
	(void)ctx;
	dirtied++;
}

static const struct fat_env env = {env_map, env_unmap, env_watch, env_dirtied};
struct fat_server fsrv;
static unsigned notifies;
static uint64_t notify_bits;

static void count_notify(void *ctx, uint64_t bits)
{
	CHECK(ctx == &fsrv);
	notifies++;
	notify_bits |= bits;
}

static struct fs_server fss = {&fat_fs_ops, &fsrv, 0, count_notify};
struct server srv;

/*
 * A server instance over the image (a new one forgets every client, as
 * after a restart); crash: the old one dies without writing anything back.
 */
static void new_instance_after(bool crash)
{
	if (fsrv.vol && crash)
		fat_forget(fsrv.vol);
	else if (fsrv.vol)
		CHECK_EQ(fat_unmount(fsrv.vol), E_OK);
	memset(&fsrv, 0, sizeof(fsrv));
	fsrv.env = &env;
	CHECK_EQ(fat_mount(&dev, NULL, &fsrv.vol), E_OK);
	fss.instance++; /* FS_INSTANCE: each instance its own */
	srv = fs_server(0, &fss);
}

static void new_instance(void)
{
	new_instance_after(false);
}

void client_init(struct fs_client *c, handle_t ep)
{
	memset(c, 0, sizeof(*c));
	c->ep = ep;
	c->buffer = fake_ipc_handle();
	c->data = shared;
	c->timeout = TIMEOUT_NEVER;
}

uint8_t pattern(uint64_t i)
{
	return (uint8_t)(i * 7 + (i >> 9));
}

static void test_data(struct fs_client *c)
{
	static uint8_t out[200000], in[200000];
	struct fs_stat st;
	uint64_t done;
	int fd;

	for (size_t i = 0; i < sizeof(out); i++)
		out[i] = pattern(i);
	CHECK_EQ(fs_open(c, "/Data file.bin", FS_O_CREATE | FS_O_EXCL, &fd, &st), E_OK);
	CHECK_EQ(st.size, 0);
	CHECK_EQ(fs_write(c, fd, 0, out, sizeof(out), &done), E_OK); /* four requests */
	CHECK_EQ(done, sizeof(out));
	CHECK_EQ(fs_fstat(c, fd, &st), E_OK);
	CHECK_EQ(st.size, sizeof(out));
	CHECK_EQ(fs_read(c, fd, 0, in, sizeof(in), &done), E_OK);
	CHECK_EQ(done, sizeof(in));
	CHECK(memcmp(in, out, sizeof(in)) == 0);
	CHECK_EQ(fs_read(c, fd, sizeof(out) - 10, in, 100, &done), E_OK);
	CHECK_EQ(done, 10); /* stops at the end */
	CHECK_EQ(fs_truncate(c, fd, 1000), E_OK);
	CHECK_EQ(fs_stat(c, "/data FILE.bin", &st), E_OK); /* any case finds it */
	CHECK_EQ(st.size, 1000);
	CHECK_EQ(fs_fsync(c, fd), E_OK);
	CHECK_EQ(fs_close(c, fd), E_OK);
	CHECK_EQ(fs_open(c, "/Data file.bin", FS_O_CREATE | FS_O_EXCL, &fd, &st), E_EXISTS);
	CHECK_EQ(fs_open(c, "/nothing", 0, &fd, &st), E_NOENT);
}

/* A file's size by path, or the error. */
static long size_of(struct fs_client *c, const char *path, uint64_t *size)
{
	struct fs_stat st;
	long r = fs_stat(c, path, &st);

	*size = r == E_OK ? st.size : 0;
	return r;
}

/* A new file of n bytes made with FS_O_CREATE | FS_O_EXCL. */
static void make_file(struct fs_client *c, const char *path, uint64_t n)
{
	uint64_t done;
	int fd;

	CHECK_EQ(fs_open(c, path, FS_O_CREATE | FS_O_EXCL, &fd, NULL), E_OK);
	CHECK_EQ(fs_write(c, fd, 0, "0123456789", n, &done), E_OK);
	CHECK_EQ(fs_close(c, fd), E_OK);
}

/*
 * Open's flags (one walk finds or makes the file, fat_open): an existing
 * name in any case is opened, not made again, and FS_O_EXCL refuses it;
 * each refusal keeps its own error; two long names with one alias base get
 * ~1 and ~2, each found by it, and keep their case.
 */
static void test_open_flags(struct fs_client *c)
{
	char name[FS_NAME_BYTES];
	struct fs_stat st;
	uint64_t size, cookie = 0;
	int fd, seen = 0;

	CHECK_EQ(fs_open(c, "/DATA FILE.BIN", FS_O_CREATE, &fd, &st), E_OK);
	CHECK_EQ(st.size, 1000); /* test_data's file, not a new one */
	CHECK_EQ(fs_close(c, fd), E_OK);
	CHECK_EQ(fs_open(c, "/data file.BIN", FS_O_CREATE | FS_O_EXCL, &fd, &st), E_EXISTS);
	CHECK_EQ(fs_open(c, "/", FS_O_CREATE | FS_O_EXCL, &fd, &st), E_EXISTS);
	CHECK_EQ(fs_open(c, "/no dir/new.txt", FS_O_CREATE, &fd, &st), E_NOENT);
	CHECK_EQ(fs_open(c, "/Data file.bin/new.txt", FS_O_CREATE, &fd, &st), E_NOTDIR);
	CHECK_EQ(fs_open(c, "/bad:name.txt", FS_O_CREATE, &fd, &st), E_INVAL);
	CHECK_EQ(fs_open(c, "/not there", FS_O_CREATE | FS_O_DIR, &fd, &st), E_NOENT);
	CHECK_EQ(size_of(c, "/not there", &size), E_NOENT);
	make_file(c, "/Two Words.txt", 1);
	make_file(c, "/Two Wordsmith.txt", 2);
	CHECK_EQ(size_of(c, "/twowor~1.txt", &size), E_OK);
	CHECK_EQ(size, 1);
	CHECK_EQ(size_of(c, "/TWOWOR~2.TXT", &size), E_OK);
	CHECK_EQ(size, 2);
	CHECK_EQ(fs_open(c, "/", FS_O_DIR, &fd, &st), E_OK);
	while (fs_readdir(c, fd, &cookie, &st, name) == E_OK)
		seen |= (!strcmp(name, "Two Words.txt")) | (!strcmp(name, "Two Wordsmith.txt"))
								   << 1;
	CHECK_EQ(seen, 3);
	CHECK_EQ(fs_close(c, fd), E_OK);
	CHECK_EQ(fs_unlink(c, "/two words.txt"), E_OK);
	CHECK_EQ(fs_unlink(c, "/TWO WORDSMITH.TXT"), E_OK);
}

/*
 * The walk to a parent directory is remembered (struct fat_parent_memo)
 * until an entry goes: a renamed directory is not reached by its old path,
 * nor a removed one by its path once a new one of that name is made.
 */
static void test_parent_memo(struct fs_client *c)
{
	uint64_t size;
	int fd;

	CHECK_EQ(fs_mkdir(c, "/memo"), E_OK);
	make_file(c, "/memo/a.txt", 1);
	CHECK_EQ(fs_rename(c, "/memo", "/memo moved"), E_OK);
	CHECK_EQ(fs_open(c, "/memo/b.txt", FS_O_CREATE, &fd, NULL), E_NOENT);
	CHECK_EQ(size_of(c, "/memo moved/a.txt", &size), E_OK);
	CHECK_EQ(size, 1);
	make_file(c, "/memo moved/b.txt", 2);
	CHECK_EQ(fs_unlink(c, "/memo moved/a.txt"), E_OK);
	CHECK_EQ(fs_unlink(c, "/memo moved/b.txt"), E_OK);
	CHECK_EQ(fs_rmdir(c, "/memo moved"), E_OK);
	CHECK_EQ(fs_open(c, "/memo moved/c.txt", FS_O_CREATE, &fd, NULL), E_NOENT);
	make_file(c, "/x.txt", 4); /* the clusters freed above may be taken again */
	CHECK_EQ(fs_mkdir(c, "/memo moved"), E_OK);
	make_file(c, "/memo moved/c.txt", 3);
	CHECK_EQ(size_of(c, "/MEMO MOVED/c.txt", &size), E_OK);
	CHECK_EQ(size, 3);
	CHECK_EQ(size_of(c, "/memo moved/b.txt", &size), E_NOENT);
	CHECK_EQ(fs_unlink(c, "/memo moved/c.txt"), E_OK);
	CHECK_EQ(fs_rmdir(c, "/memo moved"), E_OK);
	CHECK_EQ(fs_unlink(c, "/x.txt"), E_OK);
	/* Each parent by its own names: siblings, a prefix, one level deeper, "..". */
	static const char *const dirs[] = {"/m1", "/m2", "/m", "/m1/m2"};
	static const char *const files[] = {"/m1/a", "/m2/a", "/m/a", "/m1/m2/a", "/m1/m2/../b"};
	for (unsigned i = 0; i < 4; i++)
		CHECK_EQ(fs_mkdir(c, dirs[i]), E_OK);
	for (unsigned i = 0; i < 5; i++)
		make_file(c, files[i], i + 1);
	CHECK_EQ(size_of(c, "/m1/b", &size), E_OK);
	CHECK_EQ(size, 5);
	for (unsigned i = 0; i < 5; i++) {
		CHECK_EQ(size_of(c, files[i], &size), E_OK);
		CHECK_EQ(size, i + 1);
		CHECK_EQ(fs_unlink(c, files[i]), E_OK);
	}
	for (unsigned i = 4; i-- > 0;)
		CHECK_EQ(fs_rmdir(c, dirs[i]), E_OK);
}

static void test_dirs(struct fs_client *c)
{
	struct fs_stat st;
	struct fs_statfs sf;
	char name[FS_NAME_BYTES], label[12];
	uint64_t cookie = 0, done;
	int fd, dfd, seen = 0;

	CHECK_EQ(fs_mkdir(c, "/フォルダ"), E_OK);
	CHECK_EQ(fs_mkdir(c, "/フォルダ"), E_EXISTS);
	CHECK_EQ(fs_open(c, "/フォルダ/a.txt", FS_O_CREATE, &fd, &st), E_OK);
	CHECK_EQ(fs_write(c, fd, 0, "abc", 3, &done), E_OK);
	CHECK_EQ(fs_close(c, fd), E_OK);
	CHECK_EQ(fs_rmdir(c, "/フォルダ"), E_NOTEMPTY);
	CHECK_EQ(fs_rename(c, "/フォルダ/a.txt", "/moved.txt"), E_OK);
	CHECK_EQ(fs_rmdir(c, "/フォルダ"), E_OK);
	CHECK_EQ(fs_open(c, "/", FS_O_DIR, &dfd, &st), E_OK);
	CHECK(st.attr & FS_STAT_DIR);
	while (fs_readdir(c, dfd, &cookie, &st, name) == E_OK)
		seen |= (!strcmp(name, "moved.txt") && st.size == 3) |
			(!strcmp(name, "Data file.bin")) << 1;
	CHECK_EQ(seen, 3);
	CHECK_EQ(fs_readdir(c, dfd, &cookie, &st, name), E_NOENT);
	CHECK_EQ(fs_open(c, "/moved.txt", FS_O_DIR, &fd, &st), E_NOTDIR);
	CHECK_EQ(fs_unlink(c, "/moved.txt"), E_OK);
	CHECK_EQ(fs_stat(c, "/moved.txt", &st), E_NOENT);
	CHECK_EQ(fs_statfs(c, &sf, label), E_OK);
	CHECK_EQ(sf.type, 16);
	CHECK_EQ(sf.sector_size, 512);
	CHECK(sf.free_blocks > 0 && sf.free_blocks < sf.blocks);
	CHECK_EQ(fs_close(c, dfd), E_OK);
}

/* A notification bound to the endpoint (fat's timer) reaches on_notify with its bits, unanswered.
 */
static void test_notify(void)
{
	handle_t ep = fake_ipc_endpoint(&srv, 0x24);
	struct ipc_msg tick = {.tag = IPC_TAG(IPC_LABEL_NOTIFY, 0, 0, 0)};
	unsigned before = notifies;

	fake_ipc_event(ep, &tick);
	CHECK_EQ(notifies, before + 1);
	CHECK_EQ(notify_bits, 0x24);
}

#define RD_FILES 60

static void make_many(struct fs_client *c)
{
	char path[80];
	int fd;

	CHECK_EQ(fs_mkdir(c, "/many"), E_OK);
	for (int i = 0; i < RD_FILES; i++) {
		snprintf(path, sizeof(path), "/many/a file with a long name %02d.txt", i);
		CHECK_EQ(fs_open(c, path, FS_O_CREATE, &fd, NULL), E_OK);
		CHECK_EQ(fs_close(c, fd), E_OK);
	}
}

/* Read the rest of the listing from *cookie on; each name's number seen once more. */
static int list_rest(struct fs_client *c, int dfd, uint64_t *cookie, int seen[RD_FILES], int max)
{
	char name[FS_NAME_BYTES];
	struct fs_stat st;
	int n = 0, i;
	long err;

	while (n < max && (err = fs_readdir(c, dfd, cookie, &st, name)) == E_OK) {
		if (sscanf(name, "a file with a long name %d.txt", &i) == 1 && i >= 0 &&
		    i < RD_FILES)
			seen[i]++;
		n++;
	}
	CHECK(n == max || err == E_NOENT);
	return n;
}

/*
 * Listings come in batches (FS_READDIR_MANY): 60 long names in a few calls,
 * each name once; a name removed through the client while a batch holding
 * it is half handed out is not listed; a restart in the middle of a
 * listing goes on from the cookie.
 */
static void test_readdir_batches(struct fs_client *c)
{
	int seen[RD_FILES] = {0}, dfd;
	uint64_t cookie = 0;

	make_many(c);
	CHECK_EQ(fs_open(c, "/many", FS_O_DIR, &dfd, NULL), E_OK);
	uint64_t calls = fake_ipc_stats.calls;
	CHECK_EQ(list_rest(c, dfd, &cookie, seen, RD_FILES + 10), RD_FILES);
	CHECK(fake_ipc_stats.calls - calls <= RD_FILES / 15); /* about 20 names per reply */
	for (int i = 0; i < RD_FILES; i++)
		CHECK_EQ(seen[i], 1);

	memset(seen, 0, sizeof(seen));
	cookie = 0;
	CHECK_EQ(list_rest(c, dfd, &cookie, seen, 5), 5); /* the batch held now has 10 */
	CHECK_EQ(fs_unlink(c, "/many/a file with a long name 10.txt"), E_OK);
	CHECK_EQ(list_rest(c, dfd, &cookie, seen, 10), 10);
	CHECK_EQ(fs_sync(c), E_OK); /* nothing of it may be lost in the restart */
	new_instance();		    /* the server restarts in the middle of the listing */
	c->ep = fake_ipc_endpoint(&srv, 5);
	CHECK_EQ(list_rest(c, dfd, &cookie, seen, RD_FILES), RD_FILES - 16);
	for (int i = 0; i < RD_FILES; i++)
		CHECK_EQ(seen[i], i != 10);
	CHECK_EQ(fs_close(c, dfd), E_OK);
}

/* The server restarts between and during calls: the library reopens and reads right. */
static void test_restart(struct fs_client *c)
{
	static uint8_t out[150000], in[150000];
	uint64_t done;
	int fd;

	for (size_t i = 0; i < sizeof(out); i++)
		out[i] = pattern(i + 3);
	CHECK_EQ(fs_open(c, "/kept.bin", FS_O_CREATE | FS_O_TRUNC, &fd, NULL), E_OK);
	CHECK_EQ(fs_write(c, fd, 0, out, sizeof(out), &done), E_OK);
	CHECK_EQ(fs_fsync(c, fd), E_OK);

	new_instance(); /* knows no buffer and no handle */
	handle_t ep = fake_ipc_endpoint(&srv, 5);
	c->ep = ep;
	uint64_t before = c->reopened;
	CHECK_EQ(fs_read(c, fd, 0, in, sizeof(in), &done), E_OK);
	CHECK_EQ(done, sizeof(in));
	CHECK(memcmp(in, out, sizeof(in)) == 0);
	CHECK_EQ(c->reopened, before + 1);

	fake_ipc_fail_next(E_RESTARTED, 1, 0); /* a call in flight when it died */
	memset(in, 0, sizeof(in));
	CHECK_EQ(fs_read(c, fd, 1000, in, 5000, &done), E_OK);
	CHECK(memcmp(in, out + 1000, 5000) == 0);
	CHECK_EQ(fs_write(c, fd, 10, "again", 5, &done), E_OK); /* asks FS_INSTANCE first */
	fake_ipc_fail_next(E_RESTARTED, 1, 1); /* the write happened, its reply was lost */
	CHECK_EQ(fs_write(c, fd, 10, "again", 5, &done), E_OK);
	CHECK_EQ(fs_read(c, fd, 8, in, 9, &done), E_OK);
	CHECK(memcmp(in, out + 8, 2) == 0 && memcmp(in + 2, "again", 5) == 0);
	fake_ipc_fail_next(E_RESTARTED, 1,
			   1); /* mkdir done, reply lost: the resend's E_EXISTS is success */
	CHECK_EQ(fs_mkdir(c, "/made once"), E_OK);

	/* The restarts since the last fsync ("again" was resent after one) are owned up to. */
	CHECK_EQ(fs_fsync(c, fd), E_RESTARTED);
	CHECK_EQ(fs_fsync(c, fd), E_OK);
	/* Written, then the server crashes before any sync: fsync must not say all is well. */
	CHECK_EQ(fs_write(c, fd, 100, "lost?", 5, &done), E_OK);
	new_instance_after(true);
	c->ep = fake_ipc_endpoint(&srv, 5);
	CHECK_EQ(fs_write(c, fd, 200, "later", 5, &done), E_OK); /* reopens */
	CHECK_EQ(fs_fsync(c, fd), E_RESTARTED);
	CHECK_EQ(fs_read(c, fd, 100, in, 5, &done), E_OK);
	CHECK(memcmp(in, out + 100, 5) == 0); /* indeed gone: the crash took it */
	CHECK_EQ(fs_write(c, fd, 100, "lost?", 5, &done), E_OK); /* written again */
	CHECK_EQ(fs_fsync(c, fd), E_OK);
	CHECK_EQ(fs_read(c, fd, 100, in, 5, &done), E_OK);
	CHECK(memcmp(in, "lost?", 5) == 0);
	CHECK_EQ(fs_close(c, fd), E_OK);
}

/*
 * fs_sync after a restart nobody noticed (the server died while the
 * client was idle, its file closed): E_RESTARTED, not a success for data
 * the old instance never wrote; after the changes are made again, E_OK.
 */
static void test_sync_after_restart(struct fs_client *c)
{
	struct fs_stat st;
	uint64_t done;
	int fd;

	CHECK_EQ(fs_sync(c), E_OK); /* test_restart's last fsync settled its changes */
	CHECK_EQ(fs_open(c, "/unsynced.txt", FS_O_CREATE, &fd, NULL), E_OK);
	CHECK_EQ(fs_write(c, fd, 0, "maybe", 5, &done), E_OK);
	CHECK_EQ(fs_close(c, fd), E_OK);
	new_instance_after(true); /* the crash takes the cache with the new file */
	c->ep = fake_ipc_endpoint(&srv, 5);
	CHECK_EQ(fs_sync(c), E_RESTARTED);
	CHECK_EQ(fs_stat(c, "/unsynced.txt", &st), E_NOENT); /* indeed lost */
	CHECK_EQ(fs_open(c, "/unsynced.txt", FS_O_CREATE, &fd, NULL), E_OK);
	CHECK_EQ(fs_write(c, fd, 0, "maybe", 5, &done), E_OK);
	CHECK_EQ(fs_close(c, fd), E_OK);
	CHECK_EQ(fs_sync(c), E_OK);
	CHECK_EQ(fs_sync(c), E_OK); /* nothing changed since */
	new_instance_after(true);
	c->ep = fake_ipc_endpoint(&srv, 5);
	CHECK_EQ(fs_sync(c), E_OK); /* a restart with nothing unsynced loses nothing */
	CHECK_EQ(fs_stat(c, "/unsynced.txt", &st), E_OK);
	CHECK_EQ(st.size, 5);
	CHECK_EQ(fs_rename(c, "/unsynced.txt", "/renamed.txt"), E_OK);
	fake_ipc_fail_next(E_RESTARTED, 1, 0); /* the sync itself cut off: resent to a new one */
	CHECK_EQ(fs_sync(c), E_RESTARTED);
	CHECK_EQ(fs_sync(c), E_OK);
}

/* FS_SETTIME: a stamp, the server's clock, bad stamps and the root. */
static void test_settime(struct fs_client *c)
{
	const uint64_t stamp =
		(uint64_t)((2021 - 1980) << 9 | 3 << 5 | 4) << 16 | 5 << 11 | 6 << 5 | 4;
	struct fs_stat st;

	CHECK_EQ(fs_settime(c, "/renamed.txt", stamp), E_OK);
	CHECK_EQ(fs_stat(c, "/renamed.txt", &st), E_OK);
	CHECK_EQ(st.modified, stamp);
	CHECK_EQ(st.accessed, stamp >> 16 << 16);
	CHECK_EQ(fs_settime(c, "/renamed.txt", FS_TIME_NOW), E_OK);
	CHECK_EQ(fs_stat(c, "/renamed.txt", &st), E_OK);
	CHECK(st.modified != stamp); /* the engine's clock: its fixed epoch here */
	CHECK_EQ(fs_settime(c, "/renamed.txt", stamp | 13u << 21), E_INVAL); /* month 13 */
	CHECK_EQ(fs_settime(c, "/renamed.txt", (uint64_t)1 << 40), E_INVAL);
	CHECK_EQ(fs_settime(c, "/", FS_TIME_NOW), E_INVAL);
	CHECK_EQ(fs_settime(c, "/nothing", FS_TIME_NOW), E_NOENT);
	CHECK_EQ(fs_sync(c), E_OK);
}

int main(void)
{
	char img[] = "/tmp/test_fs_XXXXXX", cmd[200];
	struct fs_client c;
	int fdimg = mkstemp(img);

	snprintf(cmd, sizeof(cmd), "mkfs.fat -F 16 -s 1 -C %s.img %u >/dev/null", img,
		 IMG_BYTES >> 10);
	if (fdimg < 0 || system(cmd) != 0) {
		fprintf(stderr, "test_fs: mkfs.fat failed\n");
		return 1;
	}
	snprintf(cmd, sizeof(cmd), "%s.img", img);
	FILE *f = fopen(cmd, "rb");
	disk = malloc(IMG_BYTES);
	CHECK(f && fread(disk, 1, IMG_BYTES, f) == IMG_BYTES);
	fclose(f);

	fake_ipc_reset();
	new_instance();
	handle_t ep = fake_ipc_endpoint(&srv, 5);
	client_init(&c, ep);
	test_data(&c);
	test_open_flags(&c);
	test_dirty_tells(&c);
	test_parent_memo(&c);
	test_dirs(&c);
	test_two_handles(&c);
	test_interleaved_writes(&c);
	test_readdir_batches(&c);
	ep = c.ep;
	test_malformed(ep);
	test_io_ranges(ep);
	test_restart(&c);
	test_sync_after_restart(&c);
	test_settime(&c);
	test_client_gone();
	test_shared_home();
	test_notify();
	CHECK(maps >= 2 && watches >= 2);
	CHECK_EQ(fat_unmount(fsrv.vol), E_OK);
	test_entry_line(&dev);

	f = fopen(cmd, "wb");
	CHECK(f && fwrite(disk, 1, IMG_BYTES, f) == IMG_BYTES);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "fsck.fat -n %s.img >/dev/null", img);
	CHECK_EQ(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s.img", img);
	remove(cmd);
	remove(img);
	free(disk);
	return check_summary("fs");
}
