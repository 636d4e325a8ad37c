/* SPDX-License-Identifier: MIT */
/*
 * Host test of a whole file read into a memory object: fs_read_object
 * (proto/fs/object.c) on a client, and vfs_read_object (vfs/object.c) by
 * path, through the fake transport (fake_ipc.h) and the fs decode into a
 * fake filesystem whose files can lie about their size. The kernel's part
 * is faked here too: sys_mobj_create makes a numbered object, sys_mobj_map
 * lends it the scratch buffer the caller named as its address, and
 * sys_unmap keeps what was written there in the object and scrubs the
 * buffer. Checks a normal file (its bytes, the object's size in pages,
 * unmapped after), an empty file, one over the limit, one that reads
 * short, open errors, a directory, the caller's check refusing the bytes,
 * and that no failure leaves an object open or a file of the server open.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fake_ipc.h"
#include "proto/fs.h"
#include "sys/errors.h"
#include "sys/sys.h"
#include "sys/vfs.h"

#define PAGE	  4096u
#define BUF_BYTES PAGE	     /* the client's buffer: a file takes several reads */
#define MAX	  (4 * PAGE) /* the callers' limit in this test */
#define OBJECTS	  16
#define OBJ_BASE  0x400u /* clear of fake_ipc's handle numbers */

/* One file of the fake volume: the size it states and how many bytes it really has. */
struct fake_file {
	const char *path;
	uint64_t size, real;
	bool dir;
};

static const struct fake_file files[] = {
	{"/bin/prog", 5000, 5000, false},
	{"/empty", 0, 0, false},
	{"/big", MAX + 1, MAX + 1, false},
	{"/short", 3000, 1000, false},
	{"/dir", 0, 0, true},
	{"/text", 100, 100, false},
	{"/max", MAX, MAX, false},
};
#define NFILES (sizeof(files) / sizeof(files[0]))

static struct {
	uint8_t buffer[BUF_BYTES];
	uint64_t owner;
	int open; /* handles the fake server holds open */
	long open_error;
} vol;

static struct object {
	bool made, closed, mapped;
	uint64_t size;
	uint8_t *bytes; /* what was written through the mapping */
} objects[OBJECTS];
static int object_count;
static _Alignas(PAGE) uint8_t scratch[MAX];
static long map_error;

/* The byte a file holds at off (an ELF magic at the start of /bin/prog and /max). */
static uint8_t file_byte(const struct fake_file *f, uint64_t off)
{
	static const uint8_t magic[4] = {0x7f, 'E', 'L', 'F'};

	if (off < 4 && strcmp(f->path, "/text") != 0)
		return magic[off];
	return (uint8_t)(off * 7 + 3);
}

/* ---- the fake kernel's part ---- */

long sys_mobj_create(size_t size, unsigned flags)
{
	(void)flags;
	if (object_count == OBJECTS)
		return E_NOSPACE;
	objects[object_count] = (struct object){.made = true, .size = size};
	return OBJ_BASE + object_count++;
}

static struct object *object_of(handle_t h)
{
	if (h < OBJ_BASE || h - OBJ_BASE >= (handle_t)object_count)
		return NULL;
	struct object *o = &objects[h - OBJ_BASE];
	return o->closed ? NULL : o;
}

long sys_mobj_map(handle_t process, handle_t mobj, uintptr_t va, uint64_t offset, size_t size,
		  uint32_t rights)
{
	struct object *o = object_of(mobj);

	if (map_error)
		return map_error;
	if (!o || process != HANDLE_SELF || offset != 0 || size != o->size || size % PAGE ||
	    va != (uintptr_t)scratch || size > sizeof(scratch) || !(rights & R_WRITE))
		return E_INVAL;
	memset(scratch, 0, size); /* a new object reads as zeros */
	o->mapped = true;
	return E_OK;
}

long sys_unmap(handle_t process, uintptr_t va, size_t size)
{
	for (int i = 0; i < object_count; i++) {
		struct object *o = &objects[i];
		if (o->mapped && process == HANDLE_SELF && va == (uintptr_t)scratch &&
		    size == o->size) {
			o->bytes = malloc(size);
			memcpy(o->bytes, scratch, size);
			memset(scratch, 0xAA, sizeof(scratch));
			o->mapped = false;
			return E_OK;
		}
	}
	return E_INVAL;
}

long sys_handle_close(handle_t h)
{
	struct object *o = object_of(h);

	if (!o)
		return E_BADHANDLE;
	o->closed = true;
	return E_OK;
}

/* ---- the fake filesystem ---- */

static const struct fake_file *find(const char *path)
{
	for (size_t i = 0; i < NFILES; i++)
		if (!strcmp(files[i].path, path))
			return &files[i];
	return NULL;
}

static long fake_attach(void *ctx, uint64_t badge, handle_t mobj, uint64_t *size)
{
	(void)ctx, (void)mobj;
	vol.owner = badge;
	*size = BUF_BYTES;
	return E_OK;
}

static uint64_t fake_buffer_size(void *ctx, uint64_t badge)
{
	(void)ctx;
	return badge == vol.owner ? BUF_BYTES : 0;
}

static void stat_of(const struct fake_file *f, struct fs_stat *st)
{
	*st = (struct fs_stat){.size = f->size, .attr = f->dir ? FS_STAT_DIR : 0};
}

static long fake_open(void *ctx, uint64_t badge, const char *path, uint32_t flags, uint64_t *handle,
		      struct fs_stat *st)
{
	const struct fake_file *f = find(path);

	(void)ctx, (void)badge, (void)flags;
	if (vol.open_error)
		return vol.open_error;
	if (!f)
		return E_NOENT;
	stat_of(f, st);
	*handle = (uint64_t)(f - files) + 1;
	vol.open++;
	return E_OK;
}

static long fake_close(void *ctx, uint64_t badge, uint64_t handle)
{
	(void)ctx, (void)badge, (void)handle;
	vol.open--;
	return E_OK;
}

static long fake_io(void *ctx, uint64_t badge, enum fs_dir dir, const struct fs_io_request *rq,
		    uint64_t *done)
{
	const struct fake_file *f = &files[rq->handle - 1];

	(void)ctx, (void)badge;
	if (dir != FS_DIR_READ || f->dir)
		return E_INVAL;
	uint64_t n = rq->offset >= f->real ? 0 : f->real - rq->offset;
	n = n < rq->count ? n : rq->count;
	for (uint64_t i = 0; i < n; i++)
		vol.buffer[rq->buffer_offset + i] = file_byte(f, rq->offset + i);
	*done = n;
	return E_OK;
}

static long fake_fstat(void *ctx, uint64_t badge, uint64_t handle, struct fs_stat *st)
{
	(void)ctx, (void)badge;
	stat_of(&files[handle - 1], st);
	return E_OK;
}

static const struct fs_ops fake_ops = {
	.attach = fake_attach,
	.buffer_size = fake_buffer_size,
	.open = fake_open,
	.close = fake_close,
	.io = fake_io,
	.fstat = fake_fstat,
};

/* The path library's discovery: the test mounts its one client itself. */
long vfs_discover(int upto)
{
	(void)upto;
	return E_NOENT;
}

static struct fs_server fss = {.ops = &fake_ops};
static struct server srv;
static struct fs_client client;

/* How every test reads: at most MAX bytes, through the scratch buffer. */
static const struct fs_object_read how = {.max = MAX, .va = (uintptr_t)scratch};

static long check_elf(const void *bytes, uint64_t size)
{
	return size < 4 || memcmp(bytes,
				  "\x7f"
				  "ELF",
				  4)
		       ? E_NOEXEC
		       : E_OK;
}

/* Whether object h holds path's size bytes, zeros after them, and is a whole number of pages. */
static bool holds(handle_t h, const char *path, uint64_t size)
{
	const struct fake_file *f = find(path);
	struct object *o = object_of(h);

	if (!o || !o->bytes || o->mapped || o->size % PAGE || o->size < size ||
	    o->size - size >= PAGE)
		return false;
	for (uint64_t i = 0; i < o->size; i++)
		if (o->bytes[i] != (i < size ? file_byte(f, i) : 0))
			return false;
	return true;
}

/* Every object made is closed or handed out, none is mapped, the server holds no file. */
static void check_clean(int handed_out)
{
	int open = 0;

	for (int i = 0; i < object_count; i++) {
		CHECK(!objects[i].mapped);
		open += !objects[i].closed;
	}
	CHECK_EQ(open, handed_out);
	CHECK_EQ(vol.open, 0);
}

static void test_normal(void)
{
	handle_t image = HANDLE_INVALID;
	uint64_t size = 0;

	CHECK_EQ(fs_read_object(&client, "/bin/prog", &how, &image, &size), E_OK);
	CHECK_EQ(size, 5000);
	CHECK(holds(image, "/bin/prog", 5000));
	CHECK_EQ(object_of(image)->size, 2 * PAGE);
	check_clean(1);
	CHECK_EQ(sys_handle_close(image), E_OK);
	CHECK_EQ(fs_read_object(&client, "/max", &how, &image, &size), E_OK);
	CHECK_EQ(size, MAX); /* the limit itself is taken */
	CHECK(holds(image, "/max", MAX));
	CHECK_EQ(sys_handle_close(image), E_OK);
	check_clean(0);
}

static void test_refused(void)
{
	handle_t image = HANDLE_INVALID;
	uint64_t size = 99;

	CHECK_EQ(fs_read_object(&client, "/empty", &how, &image, &size), E_RANGE);
	CHECK_EQ(size, 0);
	CHECK_EQ(fs_read_object(&client, "/big", &how, &image, &size), E_RANGE);
	CHECK_EQ(size, MAX + 1);
	CHECK_EQ(fs_read_object(&client, "/short", &how, &image, &size), E_IO);
	CHECK_EQ(fs_read_object(&client, "/dir", &how, &image, &size), E_ISDIR);
	CHECK_EQ(fs_read_object(&client, "/nothing", &how, &image, &size), E_NOENT);
	CHECK_EQ(size, 0);
	vol.open_error = E_CORRUPT;
	CHECK_EQ(fs_read_object(&client, "/bin/prog", &how, &image, &size), E_CORRUPT);
	vol.open_error = E_OK;
	map_error = E_NOSPACE;
	CHECK_EQ(fs_read_object(&client, "/bin/prog", &how, &image, &size), E_NOSPACE);
	map_error = E_OK;
	CHECK_EQ(image, HANDLE_INVALID);
	check_clean(0);
}

static void test_check(void)
{
	const struct fs_object_read elf = {
		.max = MAX, .va = (uintptr_t)scratch, .check = check_elf};
	handle_t image = HANDLE_INVALID;
	uint64_t size;

	CHECK_EQ(fs_read_object(&client, "/text", &elf, &image, &size), E_NOEXEC);
	CHECK_EQ(image, HANDLE_INVALID);
	check_clean(0);
	CHECK_EQ(fs_read_object(&client, "/bin/prog", &elf, &image, &size), E_OK);
	CHECK(holds(image, "/bin/prog", 5000));
	CHECK_EQ(sys_handle_close(image), E_OK);
}

/* By path: the mount's client, relative paths against the current directory, "/mnt". */
static void test_vfs(void)
{
	handle_t image = HANDLE_INVALID;
	uint64_t size;

	vfs_reset();
	CHECK_EQ(vfs_mount_add("/", &client, "fs0", ""), E_OK);
	CHECK_EQ(vfs_set_cwd("/bin"), E_OK);
	CHECK_EQ(vfs_read_object("prog", &how, &image, &size), E_OK);
	CHECK_EQ(size, 5000);
	CHECK(holds(image, "/bin/prog", 5000));
	CHECK_EQ(sys_handle_close(image), E_OK);
	CHECK_EQ(vfs_read_object("../short", &how, &image, &size), E_IO);
	CHECK_EQ(vfs_read_object("/empty", &how, &image, &size), E_RANGE);
	CHECK_EQ(vfs_read_object("/big", &how, &image, &size), E_RANGE);
	CHECK_EQ(vfs_read_object("/nothing", &how, &image, &size), E_NOENT);
	CHECK_EQ(vfs_read_object("/dir", &how, &image, &size), E_ISDIR);
	CHECK_EQ(vfs_read_object("", &how, &image, &size), E_NOENT);
	check_clean(0);
}

int main(void)
{
	fake_ipc_reset();
	srv = fs_server(0, &fss);
	client = (struct fs_client){
		.buffer = fake_ipc_handle(), .data = vol.buffer, .timeout = TIMEOUT_NEVER};
	client.ep = fake_ipc_endpoint(&srv, 7);
	test_normal();
	test_refused();
	test_check();
	test_vfs();
	for (int i = 0; i < object_count; i++)
		free(objects[i].bytes);
	return check_summary("fs_object");
}
