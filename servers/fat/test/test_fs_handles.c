/* SPDX-License-Identifier: MIT */
/*
 * test_fs's handle tests (the harness is test_fs.c): a handle skips
 * re-reading its entry while nothing on the volume changed, yet two handles
 * on one file, one client's or two clients', see each other's writes,
 * truncates, renames and unlinks; clients whose badges share a home slot in
 * fs.c's table keep their own handles; a client that goes away takes its
 * handles and its buffer with it; changes mark the server dirty and tell
 * its env once per sync (test_dirty_tells); and requests no stub would send
 * (a range past the client's buffer, a wrong shape) get their errors.
 */
#include <string.h>

#include "../fat_impl.h"
#include "check.h"
#include "sys/sys.h"
#include "test_fs.h"

/* FS_FSTAT of server handle h straight through ep: the reply's status, and the size. */
static long raw_fstat(handle_t ep, uint64_t h, uint64_t *size)
{
	struct ipc_msg m = {.tag = IPC_TAG(FS_FSTAT, 1, 0, 0), .w = {h}};

	CHECK_EQ(ipc_call(ep, &m, TIMEOUT_NEVER), E_OK);
	*size = m.w[0];
	return (int16_t)IPC_TAG_LABEL(m.tag);
}

/*
 * Handles skip re-reading their entry while no byte of the volume changed
 * (fat_node_refresh): two handles on one file (one client's, another
 * client's) still see each other's writes and truncates, again and again,
 * and a handle whose file was renamed away or unlinked gets E_NOENT. The
 * two clients' badges share a home slot (fs.c's client table).
 */
void test_two_handles(struct fs_client *c)
{
	static uint8_t out[3000], in[3000];
	struct fs_client c2;
	uint64_t done, size;
	int fa, fb, f2;

	client_init(&c2, fake_ipc_endpoint(&srv, 5 + FS_CLIENTS_MAX));
	for (size_t i = 0; i < sizeof(out); i++)
		out[i] = pattern(i + 11);
	CHECK_EQ(fs_open(c, "/two.bin", FS_O_CREATE, &fa, NULL), E_OK);
	CHECK_EQ(fs_open(c, "/two.bin", 0, &fb, NULL), E_OK);
	CHECK_EQ(fs_open(&c2, "/two.bin", 0, &f2, NULL), E_OK);
	for (int round = 0; round < 3; round++) {
		uint64_t n = sizeof(out) - 1000u * (uint64_t)round;
		CHECK_EQ(fs_write(c, fa, 0, out, n, &done), E_OK);
		CHECK_EQ(fs_truncate(c, fa, n), E_OK);
		for (int again = 0; again < 2; again++) { /* the second time skips the entry */
			CHECK_EQ(raw_fstat(c->ep, c->files[fb].remote, &size), E_OK);
			CHECK_EQ(size, n);
			CHECK_EQ(fs_read(&c2, f2, 0, in, sizeof(in), &done), E_OK);
			CHECK_EQ(done, n);
			CHECK(memcmp(in, out, n) == 0);
		}
		out[round] ^= 0x5A; /* the next round's bytes differ */
	}
	CHECK_EQ(fs_truncate(&c2, f2, 7), E_OK); /* the other client shortens it */
	CHECK_EQ(raw_fstat(c->ep, c->files[fa].remote, &size), E_OK);
	CHECK_EQ(size, 7);
	CHECK_EQ(fs_rename(c, "/two.bin", "/two renamed.bin"), E_OK);
	CHECK_EQ(raw_fstat(c->ep, c->files[fa].remote, &size), E_NOENT);
	CHECK_EQ(raw_fstat(c2.ep, c2.files[f2].remote, &size), E_NOENT);
	CHECK_EQ(fs_open(c, "/two renamed.bin", 0, &fa, NULL), E_OK);
	CHECK_EQ(raw_fstat(c->ep, c->files[fa].remote, &size), E_OK);
	CHECK_EQ(raw_fstat(c->ep, c->files[fa].remote, &size), E_OK);
	CHECK_EQ(size, 7);
	CHECK_EQ(fs_unlink(&c2, "/two renamed.bin"), E_OK);
	CHECK_EQ(raw_fstat(c->ep, c->files[fa].remote, &size), E_NOENT);
	CHECK_EQ(fs_close(c, fa), E_OK);
	CHECK_EQ(fs_close(c, fb), E_OK);
	CHECK_EQ(fs_close(&c2, f2), E_OK);
}

/*
 * A handle whose write succeeded skips its entry on its next use
 * (fs.c's node_written), so writes through two handles in turn, and
 * several in a row through one, must each see the other's: the file grows
 * by appends from both (clusters taken by one, then linked on by the
 * other) and is written over inside; nothing else uses the handles between
 * the writes of a round, then each handle's size and the bytes are checked.
 */
void test_interleaved_writes(struct fs_client *c)
{
	static uint8_t want[16384], in[16384];
	uint64_t done, size, end = 0;
	int fd[2];

	CHECK_EQ(fs_open(c, "/turns.bin", FS_O_CREATE, &fd[0], NULL), E_OK);
	CHECK_EQ(fs_open(c, "/turns.bin", 0, &fd[1], NULL), E_OK);
	for (unsigned step = 0; step < 15; step++) {
		static const uint8_t turn[5] = {0, 1, 0, 0, 1}; /* a b a a b */
		uint64_t at = step % 5 == 3 ? end / 2 : end, n = 300 + 97 * step;
		for (uint64_t i = 0; i < n; i++)
			want[at + i] = pattern(i * (step + 3));
		CHECK_EQ(fs_write(c, fd[turn[step % 5]], at, want + at, n, &done), E_OK);
		CHECK_EQ(done, n);
		end = at + n > end ? at + n : end;
		if (step % 5 < 4)
			continue; /* the round goes on: no other use of either handle */
		for (int h = 0; h < 2; h++) {
			CHECK_EQ(raw_fstat(c->ep, c->files[fd[h]].remote, &size), E_OK);
			CHECK_EQ(size, end);
			CHECK_EQ(fs_read(c, fd[h], 0, in, sizeof(in), &done), E_OK);
			CHECK_EQ(done, end);
			CHECK(memcmp(in, want, end) == 0);
		}
	}
	CHECK_EQ(fs_close(c, fd[0]), E_OK);
	CHECK_EQ(fs_close(c, fd[1]), E_OK);
	CHECK_EQ(fs_unlink(c, "/turns.bin"), E_OK);
}

/*
 * Clients whose badges share a home slot: each finds its own handles, and
 * when the one at home goes, the other still finds its own.
 */
void test_shared_home(void)
{
	struct fs_client a, b;
	handle_t ea = fake_ipc_endpoint(&srv, 40),
		 eb = fake_ipc_endpoint(&srv, 40 + FS_CLIENTS_MAX);
	uint64_t size;
	int fa, fb;

	client_init(&a, ea);
	client_init(&b, eb);
	CHECK_EQ(fs_open(&a, "/kept.bin", 0, &fa, NULL), E_OK);
	CHECK_EQ(fs_open(&b, "/Data file.bin", 0, &fb, NULL), E_OK);
	CHECK_EQ(raw_fstat(ea, a.files[fa].remote, &size), E_OK);
	CHECK_EQ(size, 150000);
	CHECK_EQ(raw_fstat(eb, b.files[fb].remote, &size), E_OK);
	CHECK_EQ(size, 1000);
	struct ipc_msg gone = {.tag = IPC_TAG(IPC_LABEL_GONE, 1, 0, 0), .w = {40}};
	fake_ipc_event(ea, &gone);
	CHECK_EQ(raw_fstat(ea, a.files[fa].remote, &size), E_BADHANDLE);
	CHECK_EQ(raw_fstat(eb, b.files[fb].remote, &size), E_OK);
	CHECK_EQ(size, 1000);
	CHECK_EQ(fs_close(&b, fb), E_OK);
}

void test_client_gone(void)
{
	struct fs_client c2;
	int fd;
	handle_t ep = fake_ipc_endpoint(&srv, 99);

	client_init(&c2, ep);
	uint8_t b[4];
	uint64_t done;
	CHECK_EQ(fs_open(&c2, "/kept.bin", 0, &fd, NULL), E_OK);
	CHECK_EQ(fs_read(&c2, fd, 0, b, 4, &done), E_OK); /* attaches its buffer */
	unsigned u = unmaps;
	struct ipc_msg gone = {.tag = IPC_TAG(IPC_LABEL_GONE, 1, 0, 0), .w = {99}};
	fake_ipc_event(ep, &gone);
	CHECK_EQ(unmaps, u + 1);
	struct ipc_msg m = {.tag = IPC_TAG(FS_FSTAT, 1, 0, 0), .w = {c2.files[fd].remote}};
	CHECK_EQ(ipc_call(ep, &m, TIMEOUT_NEVER), E_OK);
	CHECK_EQ((int16_t)IPC_TAG_LABEL(m.tag), E_BADHANDLE); /* its handles went with it */
}

/*
 * Every change marks the server dirty until a sync, and tells env (fat arms its write-back tick)
 * once per clean-to-dirty step: a create without a write too (a touched file must reach the disk
 * within the tick), a truncating open, a write; a look-up and a read do not.
 */
void test_dirty_tells(struct fs_client *c)
{
	struct fs_stat st;
	uint8_t b[4] = {1, 2, 3, 4};
	uint64_t done;
	int fd;

	CHECK_EQ(fs_sync(c), E_OK);
	CHECK(!fsrv.dirty);
	unsigned before = dirtied;
	CHECK_EQ(fs_open(c, "/Data file.bin", 0, &fd, &st), E_OK);
	CHECK_EQ(fs_read(c, fd, 0, b, sizeof(b), &done), E_OK);
	CHECK_EQ(fs_close(c, fd), E_OK);
	CHECK(!fsrv.dirty && dirtied == before);
	CHECK_EQ(fs_open(c, "/touched.txt", FS_O_CREATE, &fd, NULL), E_OK);
	CHECK_EQ(fs_close(c, fd), E_OK);
	CHECK(fsrv.dirty);
	CHECK_EQ(dirtied, before + 1);
	CHECK_EQ(fs_open(c, "/touched.txt", FS_O_CREATE | FS_O_TRUNC, &fd, NULL), E_OK);
	CHECK_EQ(fs_write(c, fd, 0, b, sizeof(b), &done), E_OK);
	CHECK_EQ(fs_close(c, fd), E_OK);
	CHECK_EQ(dirtied, before + 1); /* already dirty: told once */
	CHECK_EQ(fs_sync(c), E_OK);
	CHECK(!fsrv.dirty);
	CHECK_EQ(fs_unlink(c, "/touched.txt"), E_OK);
	CHECK(fsrv.dirty);
	CHECK_EQ(dirtied, before + 2);
	CHECK_EQ(fs_sync(c), E_OK);
}

/* Bytes [from, from + n) of node n read back through the engine equal pattern(from...). */
static void check_pattern(struct fat_vol *v, struct fat_node *n, uint64_t from, size_t len)
{
	static uint8_t in[64 << 10];
	size_t done = 0;

	CHECK_EQ(fat_read(v, n, from, in, len, &done), E_OK);
	CHECK_EQ(done, len);
	for (size_t i = 0; i < len; i++)
		if (in[i] != pattern(from + i)) {
			CHECK_EQ(in[i], pattern(from + i));
			break;
		}
}

/*
 * dir_update's remembered line (fat_node.entry_line) on the smallest cache (64 lines): between
 * two writes to /line_a.bin the line that held its entry is taken for other sectors (reads of
 * 120 sectors of /line_b.bin through the cache), and the second write must still land in the
 * entry and nowhere else: after a remount a's size and bytes and every byte of b are right
 * (trusting the line without its check, the entry's fields land in one of b's sectors).
 */
void test_entry_line(struct fat_blockdev *dev)
{
	static uint8_t out[64 << 10];
	struct fat_mount_opts o = {.cache_bytes = 64 * 512};
	struct fat_node a, b;
	struct fat_vol *v;
	size_t done, got;

	for (size_t i = 0; i < sizeof(out); i++)
		out[i] = pattern(i);
	CHECK_EQ(fat_mount(dev, &o, &v), E_OK);
	CHECK_EQ(fat_create(v, "/line_b.bin", &b), E_OK);
	CHECK_EQ(fat_write(v, &b, 0, out, 120 * 512, &done), E_OK);
	CHECK_EQ(fat_create(v, "/line_a.bin", &a), E_OK);
	CHECK_EQ(fat_write(v, &a, 0, out, 300, &done), E_OK);
	CHECK(a.entry_line != 0);
	CHECK_EQ(fat_sync(v), E_OK);
	for (uint32_t s = 0; s < 120; s++) /* less than a sector: through the cache */
		CHECK_EQ(fat_read(v, &b, (uint64_t)s * 512, out, 511, &got), E_OK);
	struct fat_cache_line *l = &v->cache.lines[a.entry_line - 1];
	CHECK(!l->valid || l->lba != a.loc.lba); /* the line holds another sector now */
	for (size_t i = 0; i < sizeof(out); i++)
		out[i] = pattern(i);
	CHECK_EQ(fat_write(v, &a, 300, out + 300, 900, &done), E_OK);
	CHECK_EQ(fat_unmount(v), E_OK);

	CHECK_EQ(fat_mount(dev, &o, &v), E_OK);
	CHECK_EQ(fat_lookup(v, "/line_a.bin", &a), E_OK);
	CHECK_EQ(a.size, 1200);
	check_pattern(v, &a, 0, 1200);
	CHECK_EQ(fat_lookup(v, "/line_b.bin", &b), E_OK);
	CHECK_EQ(b.size, 120 * 512);
	check_pattern(v, &b, 0, 120 * 512);
	CHECK_EQ(fat_unlink(v, "/line_a.bin"), E_OK);
	CHECK_EQ(fat_unlink(v, "/line_b.bin"), E_OK);
	CHECK_EQ(fat_unmount(v), E_OK);
}

/* One raw read or write request on ep: the reply's status. */
static long raw_io(handle_t ep, uint16_t method, uint64_t h, uint64_t count, uint64_t at)
{
	struct ipc_msg m = {.tag = IPC_TAG(method, 4, 0, 0), .w = {h, 0, count, at}};

	CHECK_EQ(ipc_call(ep, &m, TIMEOUT_NEVER), E_OK);
	return (int16_t)IPC_TAG_LABEL(m.tag);
}

/*
 * fat checks a read's or write's range against the client's buffer itself
 * (its io_checking op): each of fs_check_io's answers, before the handle's.
 */
void test_io_ranges(handle_t ep)
{
	handle_t stranger = fake_ipc_endpoint(&srv, 0x77); /* no buffer attached */

	CHECK_EQ(raw_io(ep, FS_READ, 9, FS_IO_MAX + 1ull, 0), E_INVAL);
	CHECK_EQ(raw_io(ep, FS_WRITE, 9, 16, BUF_BYTES - 8), E_RANGE);
	CHECK_EQ(raw_io(ep, FS_WRITE, 9, 16, UINT64_MAX - 7), E_RANGE); /* the end wraps */
	CHECK_EQ(raw_io(ep, FS_READ, 9, 1, BUF_BYTES), E_RANGE);
	CHECK_EQ(raw_io(ep, FS_READ, 9, 8, BUF_BYTES - 8), E_BADHANDLE); /* the last bytes fit */
	CHECK_EQ(raw_io(ep, FS_READ, 9, 0, BUF_BYTES), E_BADHANDLE);
	CHECK_EQ(raw_io(stranger, FS_READ, 9, 16, 0), E_NOENT);
	CHECK_EQ(raw_io(stranger, FS_WRITE, 1, 0, 0), E_NOENT);
}

/* Requests a stub would never send. */
void test_malformed(handle_t ep)
{
	struct ipc_msg m = {.tag = IPC_TAG(FS_READ, 2, 0, 0)};
	CHECK_EQ(ipc_call(ep, &m, TIMEOUT_NEVER), E_OK);
	CHECK_EQ((int16_t)IPC_TAG_LABEL(m.tag), E_PROTO); /* wrong word count */

	m = (struct ipc_msg){.tag = IPC_TAG(FS_READ, 4, 0, 0), .w = {1, 0, 16, BUF_BYTES - 8}};
	CHECK_EQ(ipc_call(ep, &m, TIMEOUT_NEVER), E_OK);
	CHECK_EQ((int16_t)IPC_TAG_LABEL(m.tag), E_RANGE); /* past the buffer */

	m = (struct ipc_msg){.tag = IPC_TAG(FS_READ, 4, 0, 0), .w = {9, 0, 16, 0}};
	CHECK_EQ(ipc_call(ep, &m, TIMEOUT_NEVER), E_OK);
	CHECK_EQ((int16_t)IPC_TAG_LABEL(m.tag), E_BADHANDLE);

	memcpy(ipc_buffer()->data, "/abc", 4); /* no NUL */
	m = (struct ipc_msg){.tag = IPC_TAG(FS_MKDIR, 0, 0, 4)};
	CHECK_EQ(ipc_call(ep, &m, TIMEOUT_NEVER), E_OK);
	CHECK_EQ((int16_t)IPC_TAG_LABEL(m.tag), E_INVAL);

	memcpy(ipc_buffer()->data, "/a\0/b", 6); /* rename needs two whole paths */
	m = (struct ipc_msg){.tag = IPC_TAG(FS_RENAME, 0, 0, 5)};
	CHECK_EQ(ipc_call(ep, &m, TIMEOUT_NEVER), E_OK);
	CHECK_EQ((int16_t)IPC_TAG_LABEL(m.tag), E_INVAL);

	memcpy(ipc_buffer()->data, "/x", 3);
	m = (struct ipc_msg){.tag = IPC_TAG(FS_OPEN, 1, 0, 3), .w = {0x100}};
	CHECK_EQ(ipc_call(ep, &m, TIMEOUT_NEVER), E_OK);
	CHECK_EQ((int16_t)IPC_TAG_LABEL(m.tag), E_PROTO); /* unknown flag */

	m = (struct ipc_msg){.tag = IPC_TAG(FS_PROTOCOL_BASE + 0xF0, 0, 0, 0)};
	CHECK_EQ(ipc_call(ep, &m, TIMEOUT_NEVER), E_OK);
	CHECK_EQ((int16_t)IPC_TAG_LABEL(m.tag), E_NOSYS);
}
