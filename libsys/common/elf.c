/* SPDX-License-Identifier: MIT */
/*
 * ELF64 executable validator (see elf.h). Four layers, each checked before
 * the next one reads anything: the identification bytes, the rest of the file
 * header (types, sizes, where the program header table lies), then each
 * program header on its own, and last the checks that need all segments at
 * once (overlap, total size, entry point).
 *
 * Every read goes through elf_rd16/32/64, which assemble little-endian values
 * byte by byte from offsets already proven to lie inside the file. Sums of
 * untrusted values are never formed before a subtraction shows they fit.
 */
#include "sys/elf.h"

/* File header layout (ELF64). */
#define ELF_EHDR_SIZE	64u
#define ELF_EI_CLASS	4u
#define ELF_EI_DATA	5u
#define ELF_EI_VERSION	6u
#define ELF_OFF_TYPE	16u
#define ELF_OFF_MACHINE 18u
#define ELF_OFF_VERSION 20u
#define ELF_OFF_ENTRY	24u
#define ELF_OFF_PHOFF	32u
#define ELF_OFF_EHSIZE	52u
#define ELF_OFF_PHENTSZ 54u
#define ELF_OFF_PHNUM	56u
#define ELF_CLASS64	2u
#define ELF_DATA2LSB	1u
#define ELF_EV_CURRENT	1u
#define ELF_ET_EXEC	2u
#define ELF_ET_DYN	3u
#define ELF_EM_X86_64	62u
#define ELF_PN_XNUM	0xffffu

/* Program header layout (ELF64). */
#define ELF_PHDR_SIZE	 56u
#define ELF_PT_LOAD	 1u
#define ELF_PT_DYNAMIC	 2u
#define ELF_PT_INTERP	 3u
#define ELF_PT_GNU_STACK 0x6474e551u

#define ELF_PAGE_MASK ((uint64_t)ELF_PAGE_SIZE - 1)

/* One program header, decoded. */
struct elf_phdr {
	uint32_t type;
	uint32_t flags;
	uint64_t offset;
	uint64_t vaddr;
	uint64_t filesz;
	uint64_t memsz;
	uint64_t align;
};

static uint64_t elf_rd(const uint8_t *p, unsigned bytes)
{
	uint64_t v = 0;

	for (unsigned i = bytes; i > 0; i--)
		v = (v << 8) | p[i - 1];
	return v;
}

static uint16_t elf_rd16(const uint8_t *p)
{
	return (uint16_t)elf_rd(p, 2);
}

static uint32_t elf_rd32(const uint8_t *p)
{
	return (uint32_t)elf_rd(p, 4);
}

static uint64_t elf_rd64(const uint8_t *p)
{
	return elf_rd(p, 8);
}

static uint64_t elf_page_down(uint64_t addr)
{
	return addr & ~ELF_PAGE_MASK;
}

/* Callers guarantee addr <= user_hi, which is page-aligned, so this cannot wrap. */
static uint64_t elf_page_up(uint64_t addr)
{
	return elf_page_down(addr + ELF_PAGE_MASK);
}

/* Is [off, off + len) inside a file of size bytes? Overflow-safe. */
static bool elf_in_file(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

void elf_limits_default(struct elf_limits *lim)
{
	lim->user_lo = 0x10000;
	lim->user_hi = 0x0000800000000000ull;
	lim->max_memsz = 1ull << 30;
	lim->max_segments = ELF_MAX_SEGMENTS;
}

static int elf_check_limits(const struct elf_limits *lim)
{
	if ((lim->user_lo & ELF_PAGE_MASK) || (lim->user_hi & ELF_PAGE_MASK))
		return ELF_ERR_LIMITS;
	if (lim->user_lo >= lim->user_hi || lim->max_memsz == 0)
		return ELF_ERR_LIMITS;
	if (lim->max_segments == 0 || lim->max_segments > ELF_MAX_SEGMENTS)
		return ELF_ERR_LIMITS;
	return ELF_OK;
}

static int elf_check_ident(const uint8_t *f, uint64_t size)
{
	if (size < ELF_EHDR_SIZE)
		return ELF_ERR_TRUNCATED;
	if (f[0] != 0x7f || f[1] != 'E' || f[2] != 'L' || f[3] != 'F')
		return ELF_ERR_MAGIC;
	if (f[ELF_EI_CLASS] != ELF_CLASS64)
		return ELF_ERR_CLASS;
	if (f[ELF_EI_DATA] != ELF_DATA2LSB)
		return ELF_ERR_ENDIAN;
	if (f[ELF_EI_VERSION] != ELF_EV_CURRENT || elf_rd32(f + ELF_OFF_VERSION) != ELF_EV_CURRENT)
		return ELF_ERR_VERSION;
	return ELF_OK;
}

static int elf_check_type(const uint8_t *f)
{
	uint16_t type = elf_rd16(f + ELF_OFF_TYPE);

	if (type == ELF_ET_DYN)
		return ELF_ERR_DYN_TYPE;
	if (type != ELF_ET_EXEC)
		return ELF_ERR_TYPE;
	if (elf_rd16(f + ELF_OFF_MACHINE) != ELF_EM_X86_64)
		return ELF_ERR_MACHINE;
	if (elf_rd16(f + ELF_OFF_EHSIZE) != ELF_EHDR_SIZE)
		return ELF_ERR_EHSIZE;
	if (elf_rd16(f + ELF_OFF_PHENTSZ) != ELF_PHDR_SIZE)
		return ELF_ERR_PHENTSIZE;
	return ELF_OK;
}

static int elf_check_phdr_table(const uint8_t *f, uint64_t size)
{
	uint16_t phnum = elf_rd16(f + ELF_OFF_PHNUM);

	if (phnum == 0)
		return ELF_ERR_NO_PHDRS;
	if (phnum == ELF_PN_XNUM)
		return ELF_ERR_PHNUM_XNUM;
	if (phnum > ELF_MAX_PHDRS)
		return ELF_ERR_TOO_MANY_PHDRS;
	if (!elf_in_file(elf_rd64(f + ELF_OFF_PHOFF), (uint64_t)phnum * ELF_PHDR_SIZE, size))
		return ELF_ERR_PHDRS_OUTSIDE;
	return ELF_OK;
}

static void elf_read_phdr(const uint8_t *p, struct elf_phdr *ph)
{
	ph->type = elf_rd32(p);
	ph->flags = elf_rd32(p + 4);
	ph->offset = elf_rd64(p + 8);
	ph->vaddr = elf_rd64(p + 16);
	ph->filesz = elf_rd64(p + 32);
	ph->memsz = elf_rd64(p + 40);
	ph->align = elf_rd64(p + 48);
}

/* Alignment rules: p_align a power of two, and congruence of p_vaddr and p_offset. */
static int elf_check_align(const struct elf_phdr *ph)
{
	uint64_t delta = ph->vaddr - ph->offset; /* modular: fine for powers of two */

	if (ph->align > 1) {
		if (ph->align & (ph->align - 1))
			return ELF_ERR_SEG_ALIGN;
		if (delta & (ph->align - 1))
			return ELF_ERR_SEG_ALIGN_MISMATCH;
	}
	if (delta & ELF_PAGE_MASK)
		return ELF_ERR_SEG_PAGE_MISMATCH;
	return ELF_OK;
}

static int elf_check_range(const struct elf_phdr *ph, const struct elf_limits *lim)
{
	if (ph->memsz > UINT64_MAX - ph->vaddr)
		return ELF_ERR_SEG_WRAP;
	if (ph->vaddr < lim->user_lo)
		return ELF_ERR_SEG_LOW;
	if (ph->vaddr + ph->memsz > lim->user_hi)
		return ELF_ERR_SEG_KERNEL;
	return ELF_OK;
}

/* Check one non-empty PT_LOAD on its own. */
static int elf_check_load(const struct elf_phdr *ph, const struct elf_limits *lim, uint64_t size)
{
	int err;

	if (!elf_in_file(ph->offset, ph->filesz, size))
		return ELF_ERR_SEG_OUTSIDE;
	if ((ph->flags & ELF_SEG_W) && (ph->flags & ELF_SEG_X))
		return ELF_ERR_SEG_WX;
	err = elf_check_align(ph);
	if (err)
		return err;
	return elf_check_range(ph, lim);
}

static int elf_add_load(const struct elf_phdr *ph, const struct elf_limits *lim, uint64_t size,
			struct elf_image *out)
{
	struct elf_segment *seg;
	int err;

	if (ph->filesz > ph->memsz)
		return ELF_ERR_SEG_FILESZ;
	if (ph->memsz == 0)
		return ELF_OK; /* empty: nothing to map, skipped */
	err = elf_check_load(ph, lim, size);
	if (err)
		return err;
	if (out->segment_count >= lim->max_segments)
		return ELF_ERR_TOO_MANY_SEGMENTS;
	seg = &out->segments[out->segment_count++];
	seg->vaddr = ph->vaddr;
	seg->memsz = ph->memsz;
	seg->offset = ph->offset;
	seg->filesz = ph->filesz;
	seg->align = ph->align;
	seg->flags = ph->flags & (ELF_SEG_R | ELF_SEG_W | ELF_SEG_X);
	return ELF_OK;
}

static int elf_check_phdr(const struct elf_phdr *ph, const struct elf_limits *lim, uint64_t size,
			  struct elf_image *out)
{
	switch (ph->type) {
	case ELF_PT_LOAD:
		return elf_add_load(ph, lim, size, out);
	case ELF_PT_INTERP:
		return ELF_ERR_INTERP;
	case ELF_PT_DYNAMIC:
		return ELF_ERR_DYNAMIC;
	case ELF_PT_GNU_STACK:
		return (ph->flags & ELF_SEG_X) ? ELF_ERR_EXEC_STACK : ELF_OK;
	default:
		return ELF_OK; /* PT_NOTE, PT_PHDR, PT_TLS, PT_GNU_*, unknown: nothing to do */
	}
}

static int elf_walk_phdrs(const uint8_t *f, uint64_t size, const struct elf_limits *lim,
			  struct elf_image *out)
{
	uint16_t phnum = elf_rd16(f + ELF_OFF_PHNUM);
	const uint8_t *table = f + elf_rd64(f + ELF_OFF_PHOFF);
	struct elf_phdr ph;
	int err;

	for (uint16_t i = 0; i < phnum; i++) {
		elf_read_phdr(table + (size_t)i * ELF_PHDR_SIZE, &ph);
		err = elf_check_phdr(&ph, lim, size, out);
		if (err)
			return err;
	}
	return out->segment_count ? ELF_OK : ELF_ERR_NO_LOAD;
}

static bool elf_pages_overlap(const struct elf_segment *a, const struct elf_segment *b)
{
	return elf_page_down(a->vaddr) < elf_page_up(b->vaddr + b->memsz) &&
	       elf_page_down(b->vaddr) < elf_page_up(a->vaddr + a->memsz);
}

static int elf_check_overlap(const struct elf_image *img)
{
	for (uint32_t i = 0; i < img->segment_count; i++)
		for (uint32_t j = i + 1; j < img->segment_count; j++)
			if (elf_pages_overlap(&img->segments[i], &img->segments[j]))
				return ELF_ERR_SEG_OVERLAP;
	return ELF_OK;
}

/*
 * Fill addr_lo, addr_hi and mem_total. Runs after the overlap check: the page
 * ranges are disjoint and below user_hi, so their sum cannot overflow.
 */
static int elf_measure(const struct elf_limits *lim, struct elf_image *img)
{
	img->addr_lo = UINT64_MAX;
	for (uint32_t i = 0; i < img->segment_count; i++) {
		const struct elf_segment *seg = &img->segments[i];
		uint64_t lo = elf_page_down(seg->vaddr);
		uint64_t hi = elf_page_up(seg->vaddr + seg->memsz);

		img->mem_total += hi - lo;
		if (lo < img->addr_lo)
			img->addr_lo = lo;
		if (hi > img->addr_hi)
			img->addr_hi = hi;
	}
	return img->mem_total > lim->max_memsz ? ELF_ERR_TOO_BIG : ELF_OK;
}

static int elf_check_entry(const struct elf_image *img)
{
	for (uint32_t i = 0; i < img->segment_count; i++) {
		const struct elf_segment *seg = &img->segments[i];

		if (img->entry >= seg->vaddr && img->entry - seg->vaddr < seg->memsz)
			return (seg->flags & ELF_SEG_X) ? ELF_OK : ELF_ERR_ENTRY_NOT_EXEC;
	}
	return ELF_ERR_ENTRY_OUTSIDE;
}

static void elf_image_clear(struct elf_image *img)
{
	img->entry = 0;
	img->addr_lo = 0;
	img->addr_hi = 0;
	img->mem_total = 0;
	img->segment_count = 0;
}

static int elf_check_all(const uint8_t *f, uint64_t size, const struct elf_limits *lim,
			 struct elf_image *out)
{
	int err = elf_check_limits(lim);

	if (!err)
		err = elf_check_ident(f, size);
	if (!err)
		err = elf_check_type(f);
	if (!err)
		err = elf_check_phdr_table(f, size);
	if (!err)
		err = elf_walk_phdrs(f, size, lim, out);
	if (!err)
		err = elf_check_overlap(out);
	if (!err)
		err = elf_measure(lim, out);
	if (!err) {
		out->entry = elf_rd64(f + ELF_OFF_ENTRY);
		err = elf_check_entry(out);
	}
	return err;
}

int elf_validate(const void *file, size_t size, const struct elf_limits *lim, struct elf_image *out)
{
	int err;

	if (!out)
		return ELF_ERR_ARGUMENT;
	elf_image_clear(out);
	if (!file || !lim)
		return ELF_ERR_ARGUMENT;
	err = elf_check_all(file, size, lim, out);
	if (err)
		elf_image_clear(out);
	return err;
}

uint64_t elf_segment_page_count(const struct elf_segment *seg)
{
	uint64_t last;

	if (!seg || seg->memsz == 0 || seg->memsz - 1 > UINT64_MAX - seg->vaddr)
		return 0;
	last = seg->vaddr + (seg->memsz - 1);
	return (elf_page_down(last) - elf_page_down(seg->vaddr)) / ELF_PAGE_SIZE + 1;
}

/*
 * Work relative to the segment's first page: the file bytes occupy
 * [head, head + filesz) there, and page index covers [index * 4096, +4096).
 */
int elf_segment_page(const struct elf_segment *seg, uint64_t index, struct elf_page_fill *out)
{
	uint64_t head, start, end, data_end;

	if (!out || index >= elf_segment_page_count(seg))
		return ELF_ERR_ARGUMENT;
	head = seg->vaddr & ELF_PAGE_MASK;
	start = index * ELF_PAGE_SIZE;
	end = start + ELF_PAGE_SIZE;
	/* Clamped to memsz, which page_count proved does not wrap. */
	data_end = head + (seg->filesz < seg->memsz ? seg->filesz : seg->memsz);
	out->page = elf_page_down(seg->vaddr) + start;
	out->file_off = 0;
	out->dst_off = 0;
	out->copy_len = 0;
	if (start < head)
		start = head;
	if (end > data_end)
		end = data_end;
	if (start < end) {
		out->dst_off = (uint32_t)(start & ELF_PAGE_MASK);
		out->copy_len = (uint32_t)(end - start);
		out->file_off = seg->offset + (start - head);
	}
	return ELF_OK;
}

const char *elf_error_name(int err)
{
	switch (err) {
#define ELF_ERROR_CASE(name, value, text)                                                          \
	case name:                                                                                 \
		return text;
		ELF_ERROR_LIST(ELF_ERROR_CASE)
#undef ELF_ERROR_CASE
	default:
		return "unknown error";
	}
}
