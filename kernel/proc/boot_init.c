/* SPDX-License-Identifier: MIT */
/*
 * Starting init, the only program the kernel starts itself: the first boot
 * module, a static ELF checked by the same validator the loader server uses.
 * init receives every boot module as a read-only memory object handle named
 * after the module (sharing the module's reserved frames, not a copy), and the four hardware
 * resources (irq, ioport, devmem, dma) from which it makes each driver's narrow handles.
 */
#include "acpi/acpi.h"
#include "boot/mb2.h"
#include "kernel/bootinfo.h"
#include "kernel/cmdline.h"
#include "kernel/device.h"
#include "kernel/layout.h"
#include "kernel/mobj.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/process.h"
#include "kernel/string.h"
#include "sys/device.h"
#include "sys/elf.h"
#include "sys/errors.h"
#include "sys/start.h"

#define INIT_PRIORITY 16

static unsigned segment_rights(uint32_t flags)
{
	return ((flags & ELF_SEG_W) ? PT_WRITE : 0) | ((flags & ELF_SEG_X) ? PT_EXEC : 0);
}

static int load_segment(struct process *p, const uint8_t *file, const struct elf_segment *seg)
{
	uint64_t pages = elf_segment_page_count(seg);
	struct mobj *m;
	int err = mobj_create(pages * PAGE_SIZE, p->acct, &m);

	if (err)
		return err;
	for (uint64_t i = 0; i < pages; i++) {
		struct elf_page_fill f;
		if (elf_segment_page(seg, i, &f) == ELF_OK && f.copy_len)
			memcpy((uint8_t *)mobj_page(m, i) + f.dst_off, file + f.file_off,
			       f.copy_len);
	}
	err = region_map(p, ALIGN_DOWN(seg->vaddr, PAGE_SIZE), m, 0, pages,
			 segment_rights(seg->flags));
	kobj_put(&m->obj);
	return err;
}

/* Every module but init's, the four resources and the framebuffer fit init's start_info. */
#define INIT_OWN_HANDLES 5
_Static_assert(MB2_MAX_MODULES - 1 + INIT_OWN_HANDLES <= START_MAX_HANDLES,
	       "init's start_info holds every boot module");

/* A boot module as a read-only memory object for init, named after its command line. */
static int give_module(struct process *p, const struct mb2_module *mod, struct start_info *si)
{
	struct start_handle *sh = &si->handles[si->handle_count];
	const char *name = mod->cmdline ? mod->cmdline : "module";
	uint32_t size = mod->end - mod->start;
	struct mobj *m;

	if (strlen(name) >= START_NAME_MAX) {
		klog("warning: boot module '%s' skipped: its name is over %u characters\n", name,
		     START_NAME_MAX - 1);
		return E_OK;
	}
	if (size == 0 || mobj_create_boot(mod->start, size, &m)) {
		klog("warning: boot module '%s' skipped: empty or not page-aligned\n", name);
		return E_OK;
	}
	int err = handle_insert(&p->handles, &m->obj, R_READ | R_DUP | R_TRANSFER, 0, &sh->handle);
	kobj_put(&m->obj);
	if (err)
		return err;
	memcpy(sh->name, name, strlen(name) + 1);
	sh->size = size;
	si->handle_count++;
	return E_OK;
}

static int give_modules(struct process *p, const struct boot_info *bi, struct start_info *si)
{
	int err = E_OK;

	for (size_t i = 1; i < bi->module_count && !err; i++)
		err = give_module(p, &bi->modules[i], si);
	return err;
}

/* The roots of hardware access: init hands out narrow pieces of them. */
static int give_resources(struct process *p, struct start_info *si)
{
	static const struct {
		const char *name;
		uint32_t kind;
	} roots[] = {{"irq", RESOURCE_IRQ},
		     {"ioport", RESOURCE_IOPORT},
		     {"devmem", RESOURCE_DEVMEM},
		     {"dma", RESOURCE_DMA}};

	for (size_t i = 0; i < ARRAY_SIZE(roots); i++) {
		struct start_handle *sh = &si->handles[si->handle_count];
		struct resource *r;
		int err = resource_create(roots[i].kind, &r);
		if (!err) {
			err = handle_insert(&p->handles, &r->obj, R_DUP | R_TRANSFER, 0,
					    &sh->handle);
			kobj_put(&r->obj);
		}
		if (err)
			return err;
		memcpy(sh->name, roots[i].name, strlen(roots[i].name) + 1);
		si->handle_count++;
	}
	return E_OK;
}

/* The boot framebuffer as device memory, for the one server init gives it to. */
static int give_framebuffer(struct process *p, const struct boot_info *bi, struct start_info *si)
{
	const struct mb2_framebuffer *fb = &bi->fb;
	struct start_handle *sh = &si->handles[si->handle_count];
	struct mobj *m;

	if (!fb->usable)
		return E_OK; /* no framebuffer: nothing to hand out */
	uint64_t size = ALIGN_UP((uint64_t)fb->pitch * fb->height, PAGE_SIZE);
	int err = mobj_create_device(ALIGN_DOWN(fb->addr, PAGE_SIZE), size, DEVMEM_WC, &m);
	if (err)
		return E_OK; /* not page-aligned or over RAM: the boot screen stays black */
	err = handle_insert(&p->handles, &m->obj, R_READ | R_WRITE | R_DUP | R_TRANSFER, 0,
			    &sh->handle);
	kobj_put(&m->obj);
	if (err)
		return err;
	memcpy(sh->name, "framebuffer", 12);
	sh->size = (uint32_t)size;
	si->handle_count++;
	si->fb = (struct start_framebuffer){fb->addr, fb->width, fb->height, fb->pitch, fb->bpp};
	return E_OK;
}

/* Where PCI configuration space is, from the MCFG table (segment 0). */
static void give_pci(struct start_info *si)
{
	const struct acpi_info *ai = kernel_acpi_info();

	for (size_t i = 0; ai->has_mcfg && i < ai->ecam_count; i++) {
		if (ai->ecam[i].segment == 0) {
			si->pci = (struct start_pci){ai->ecam[i].base, ai->ecam[i].bus_start,
						     ai->ecam[i].bus_end, 0, 0};
			return;
		}
	}
}

/* init's arguments are the words of the kernel command line. */
static void give_args(struct start_info *si)
{
	const char *line = cmdline_raw();
	size_t used = 0;

	while (*line) {
		while (*line == ' ')
			line++;
		size_t n = 0;
		while (line[n] && line[n] != ' ')
			n++;
		if (n == 0)
			break;
		if (si->argc == START_MAX_ARGS || used + n + 1 > START_STRINGS) {
			klog("warning: init gets only the first %u words of the command line\n",
			     si->argc);
			break;
		}
		memcpy(&si->strings[used], line, n);
		si->argv[si->argc++] =
			USER_STACK_TOP - PAGE_SIZE + offsetof(struct start_info, strings) + used;
		used += n + 1;
		line += n;
	}
}

/* The stack, with start_info in its top page. */
static int build_stack(struct process *p, const struct boot_info *bi, uint64_t *arg)
{
	struct mobj *stack;
	int err = mobj_create(USER_STACK_SIZE, p->acct, &stack);

	if (err)
		return err;
	err = region_map(p, USER_STACK_TOP - USER_STACK_SIZE, stack, 0, USER_STACK_SIZE / PAGE_SIZE,
			 PT_WRITE);
	struct start_info *si = mobj_page(stack, stack->npages - 1);
	si->magic = START_MAGIC;
	give_args(si);
	give_pci(si);
	if (!err)
		err = give_resources(p, si);
	if (!err)
		err = give_framebuffer(p, bi, si);
	if (!err)
		err = give_modules(p, bi, si);
	kobj_put(&stack->obj);
	*arg = USER_STACK_TOP - PAGE_SIZE;
	return err;
}

static int load_init(const struct boot_info *bi, struct process *p, struct elf_image *img)
{
	const struct mb2_module *mod = &bi->modules[0];
	const uint8_t *file = phys_to_virt(mod->start);
	struct elf_limits lim;

	elf_limits_default(&lim);
	int err = elf_validate(file, mod->end - mod->start, &lim, img);
	if (err) {
		klog("init: module '%s' is not a valid program: %s\n",
		     mod->cmdline ? mod->cmdline : "?", elf_error_name(err));
		return E_INVAL;
	}
	for (uint32_t i = 0; i < img->segment_count && !err; i++)
		err = load_segment(p, file, &img->segments[i]);
	return err;
}

void init_start(const struct boot_info *bi)
{
	struct process *p;
	struct thread *t;
	struct elf_image img;
	uint64_t arg;

	if (bi->module_count == 0) {
		klog("warning: no boot modules: no init to start, the kernel idles\n");
		return;
	}
	if (process_create("init", 4, NULL, SCHED_PRIORITIES - 1, &p))
		panic("init: cannot create the process");
	int err = load_init(bi, p, &img);
	if (!err)
		err = build_stack(p, bi, &arg);
	if (!err)
		err = thread_create(p, img.entry, arg, arg, INIT_PRIORITY, &t);
	if (err) {
		klog("init: cannot start (%s); the kernel idles\n", sys_error_name(err));
		process_exit(p, EXIT_KILLED);
		kobj_put(&p->obj);
		return;
	}
	klog("init: started pid %lu, entry 0x%lx, %u modules for it\n", p->pid, img.entry,
	     (unsigned)bi->module_count - 1);
	thread_start(t);
	kobj_put(&t->obj); /* the scheduler holds it now */
	kobj_put(&p->obj); /* its thread keeps it alive */
}
