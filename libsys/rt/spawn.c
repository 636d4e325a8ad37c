/* SPDX-License-Identifier: MIT */
/*
 * spawn_elf: validate the image (nothing happens to a bad one), create the
 * process, and build each piece in a fresh memory object that is filled
 * through a temporary mapping in our own address space, then mapped into the
 * child with its final rights. On any error the half-built child is killed.
 */
#include "sys/spawn.h"

#include <string.h>

#include "sys/elf.h"
#include "sys/lock.h"
#include "sys/process.h"
#include "sys/start.h"
#include "sys/sys.h"

#define SCRATCH_VA 0x00006f0000000000ull /* the spawner's temporary window */
#define IMAGE_VA   0x00006e0000000000ull /* where spawn_module reads the image */
#define PAGE	   4096u

/* A memory object of `pages` pages charged to the child, mapped at SCRATCH_VA in our space. */
static long scratch_mobj(handle_t child, uint64_t pages, handle_t *m)
{
	long h = sys_mobj_create_for(child, pages * PAGE, 0);

	if (h < 0)
		return h;
	*m = (handle_t)h;
	long err = sys_mobj_map(HANDLE_SELF, *m, SCRATCH_VA, 0, pages * PAGE, R_READ | R_WRITE);
	if (err < 0)
		sys_handle_close(*m);
	return err;
}

/* Unmap it from us, map it into the child, drop our handle. */
static long place(handle_t child, handle_t m, uint64_t va, uint64_t pages, uint32_t rights)
{
	sys_unmap(HANDLE_SELF, SCRATCH_VA, pages * PAGE);
	long err = sys_mobj_map(child, m, va, 0, pages * PAGE, rights);
	sys_handle_close(m);
	return err;
}

static long load_segment(handle_t child, const uint8_t *file, const struct elf_segment *seg)
{
	uint64_t pages = elf_segment_page_count(seg);
	handle_t m;
	long err = scratch_mobj(child, pages, &m);

	if (err < 0)
		return err;
	for (uint64_t i = 0; i < pages; i++) {
		struct elf_page_fill f;
		if (elf_segment_page(seg, i, &f) == ELF_OK && f.copy_len)
			memcpy((uint8_t *)SCRATCH_VA + i * PAGE + f.dst_off, file + f.file_off,
			       f.copy_len);
	}
	uint32_t rights = R_READ | ((seg->flags & ELF_SEG_W) ? R_WRITE : 0) |
			  ((seg->flags & ELF_SEG_X) ? R_EXEC : 0);
	return place(child, m, seg->vaddr & ~(uint64_t)(PAGE - 1), pages, rights);
}

/*
 * What a start_info holds, checked before anything is made: no argument or
 * handle is ever dropped on the way. E_RANGE for too many arguments or
 * bytes, or a handle name too long; E_NOSPACE for too many handles.
 */
static long check_fits(const struct spawn_args *a)
{
	size_t used = 0;

	if (a->argc < 0 || a->argc > START_MAX_ARGS)
		return E_RANGE;
	for (int i = 0; i < a->argc; i++)
		used += strlen(a->argv[i]) + 1;
	if (used > START_STRINGS)
		return E_RANGE;
	if (a->handle_count > START_MAX_HANDLES)
		return E_NOSPACE;
	for (uint32_t i = 0; i < a->handle_count; i++)
		if (strlen(a->handles[i].name) >= START_NAME_MAX)
			return E_RANGE;
	return E_OK;
}

static void fill_args(struct start_info *si, const struct spawn_args *a, uint64_t si_va)
{
	size_t used = 0;

	for (int i = 0; i < a->argc; i++) {
		size_t n = strlen(a->argv[i]);
		memcpy(&si->strings[used], a->argv[i], n + 1);
		si->argv[si->argc++] = si_va + offsetof(struct start_info, strings) + used;
		used += n + 1;
	}
}

static long fill_handles(struct start_info *si, const struct spawn_args *a, handle_t child)
{
	for (uint32_t i = 0; i < a->handle_count; i++) {
		long h = sys_handle_grant(child, a->handles[i].handle, a->handles[i].rights);
		if (h < 0)
			return h;
		struct start_handle *sh = &si->handles[si->handle_count++];
		strlcpy(sh->name, a->handles[i].name, sizeof(sh->name));
		if (strcmp(sh->name, "framebuffer") == 0 && start_info())
			si->fb = start_info()->fb;
		if (strcmp(sh->name, "ecam") == 0 && start_info())
			si->pci = start_info()->pci;
		if (strcmp(sh->name, "pci.config") == 0 && start_info())
			si->pci_fn = start_info()->pci_fn;
		sh->handle = (handle_t)h;
		sh->size = a->handles[i].size;
	}
	return E_OK;
}

static long build_stack(handle_t child, const struct spawn_args *a, uint64_t *si_va)
{
	uint64_t pages = USER_STACK_SIZE / PAGE;
	handle_t m;
	long err = scratch_mobj(child, pages, &m);

	if (err < 0)
		return err;
	struct start_info *si = (struct start_info *)(SCRATCH_VA + (pages - 1) * PAGE);
	*si_va = USER_STACK_TOP - PAGE;
	si->magic = START_MAGIC;
	fill_args(si, a, *si_va);
	err = fill_handles(si, a, child);
	long placed = place(child, m, USER_STACK_TOP - USER_STACK_SIZE, pages, R_READ | R_WRITE);
	return err < 0 ? err : placed;
}

static long build(handle_t child, const void *file, const struct elf_image *img,
		  const struct spawn_args *a)
{
	uint64_t si_va;
	long err = E_OK;

	for (uint32_t i = 0; i < img->segment_count && err >= 0; i++)
		err = load_segment(child, file, &img->segments[i]);
	if (err >= 0)
		err = build_stack(child, a, &si_va);
	if (err < 0)
		return err;
	long t = sys_thread_create(child, img->entry, si_va, si_va, a->priority);
	if (t < 0)
		return t;
	err = sys_thread_start((handle_t)t);
	sys_handle_close((handle_t)t);
	return err;
}

static long spawn_unlocked(const void *file, size_t size, const struct spawn_args *a, int *elf_err)
{
	struct elf_image img;
	struct elf_limits lim;

	if (elf_err)
		*elf_err = 0;
	long fits = check_fits(a);
	if (fits < 0)
		return fits;
	elf_limits_default(&lim);
	int e = elf_validate(file, size, &lim, &img);
	if (elf_err)
		*elf_err = e;
	if (e != ELF_OK)
		return E_INVAL;
	unsigned max = a->max_priority > a->priority ? a->max_priority : a->priority;
	long child = sys_process_create_ex(a->name, strlen(a->name), QUOTA_UNLIMITED, max);
	if (child < 0)
		return child;
	long err = build((handle_t)child, file, &img, a);
	if (err < 0) {
		sys_process_kill((handle_t)child);
		sys_handle_close((handle_t)child);
		return err;
	}
	return child;
}

/* One spawn at a time per process: the scratch and image windows are shared. */
static struct sys_lock spawn_lock;

long spawn_elf(const void *file, size_t size, const struct spawn_args *a, int *elf_err)
{
	sys_lock(&spawn_lock);
	long child = spawn_unlocked(file, size, a, elf_err);
	sys_unlock(&spawn_lock);
	return child;
}

long spawn_module(handle_t image, uint32_t size, const struct spawn_args *a, int *elf_err)
{
	uint64_t bytes = ((uint64_t)size + PAGE - 1) & ~(uint64_t)(PAGE - 1);

	if (image == HANDLE_INVALID)
		return E_NOENT;
	sys_lock(&spawn_lock);
	long child = sys_mobj_map(HANDLE_SELF, image, IMAGE_VA, 0, bytes, R_READ);
	if (child == E_OK) {
		child = spawn_unlocked((const void *)IMAGE_VA, size, a, elf_err);
		sys_unmap(HANDLE_SELF, IMAGE_VA, bytes);
	}
	sys_unlock(&spawn_lock);
	return child;
}
