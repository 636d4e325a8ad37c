/* SPDX-License-Identifier: MIT */
/*
 * Multiboot2 boot information parser (see mb2.h). Layered in three steps:
 * mb2_parse() checks the fixed 8-byte header, mb2_walk() steps from tag to
 * tag checking each size against total_size, and one small function per tag
 * type copies that tag's fields into struct boot_info. mb2_finish() then
 * turns what is missing into warnings and fallbacks.
 *
 * Every read goes through mb2_rd32/mb2_rd64, which copy bytes, so neither an
 * unaligned info pointer nor an odd tag layout can fault. Tags are 8-byte
 * aligned relative to the start of info, as the specification puts them.
 */
#include "mb2.h"

enum mb2_tag_type {
	MB2_TAG_END = 0,
	MB2_TAG_CMDLINE = 1,
	MB2_TAG_LOADER_NAME = 2,
	MB2_TAG_MODULE = 3,
	MB2_TAG_MEMINFO = 4,
	MB2_TAG_MMAP = 6,
	MB2_TAG_FRAMEBUFFER = 8,
	MB2_TAG_ACPI_OLD = 14,
	MB2_TAG_ACPI_NEW = 15,
};

/* Tags that may appear at most once; a second copy is ignored. */
#define MB2_ONCE_TAGS                                                                              \
	((1u << MB2_TAG_CMDLINE) | (1u << MB2_TAG_LOADER_NAME) | (1u << MB2_TAG_MEMINFO) |         \
	 (1u << MB2_TAG_MMAP) | (1u << MB2_TAG_FRAMEBUFFER) | (1u << MB2_TAG_ACPI_OLD) |           \
	 (1u << MB2_TAG_ACPI_NEW))

#define MB2_TAG_HDR	8  /* type + size */
#define MB2_MODULE_MIN	16 /* header + mod_start + mod_end */
#define MB2_MEMINFO_MIN 16 /* header + mem_lower + mem_upper */
#define MB2_MMAP_HDR	16 /* header + entry_size + entry_version */
#define MB2_MMAP_ENTRY	24 /* base + length + type + reserved */
#define MB2_FB_COMMON	32 /* header through the reserved field */
#define MB2_FB_RGB_MIN	38 /* common part + six colour field bytes */
#define MB2_RSDP_V1_LEN 20
#define MB2_LOW_MEM_END 0x100000u /* mem_upper counts from 1 MiB */

/* A view of one tag whose size has been checked against total_size. */
struct mb2_tag {
	const uint8_t *p;
	uint32_t type;
	uint32_t size;
};

static uint32_t mb2_rd32(const uint8_t *p)
{
	uint32_t v;

	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t mb2_rd64(const uint8_t *p)
{
	uint64_t v;

	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

int mb2_check_magic(uint32_t eax)
{
	return eax == MB2_BOOTLOADER_MAGIC ? 0 : MB2_EINVAL;
}

const char *mb2_warning_name(uint32_t bit)
{
	switch (bit) {
#define MB2_WARNING_CASE(name, num, text)                                                          \
	case name:                                                                                 \
		return text;
		MB2_WARNING_LIST(MB2_WARNING_CASE)
#undef MB2_WARNING_CASE
	default:
		return "unknown warning";
	}
}

/* The string starting at byte off of the tag, if it ends with NUL inside the tag. */
static const char *mb2_tag_string(const struct mb2_tag *tag, uint32_t off, uint32_t *warnings)
{
	for (uint32_t i = off; i < tag->size; i++) {
		if (tag->p[i] == '\0')
			return (const char *)(tag->p + off);
	}
	*warnings |= MB2_WARN_BAD_STRING;
	return NULL;
}

static void mb2_parse_module(const struct mb2_tag *tag, struct boot_info *out)
{
	if (tag->size < MB2_MODULE_MIN) {
		out->warnings |= MB2_WARN_BAD_MODULE;
		return;
	}
	uint32_t start = mb2_rd32(tag->p + 8);
	uint32_t end = mb2_rd32(tag->p + 12);
	if (end < start) {
		out->warnings |= MB2_WARN_BAD_MODULE;
		return;
	}
	if (out->module_count == MB2_MAX_MODULES) {
		out->warnings |= MB2_WARN_TOO_MANY_MODULES;
		return;
	}
	struct mb2_module *mod = &out->modules[out->module_count++];
	mod->start = start;
	mod->end = end;
	mod->cmdline = mb2_tag_string(tag, MB2_MODULE_MIN, &out->warnings);
}

static void mb2_parse_meminfo(const struct mb2_tag *tag, struct boot_info *out)
{
	if (tag->size < MB2_MEMINFO_MIN) {
		out->warnings |= MB2_WARN_BAD_MEMINFO;
		return;
	}
	out->has_meminfo = true;
	out->mem_lower_kib = mb2_rd32(tag->p + 8);
	out->mem_upper_kib = mb2_rd32(tag->p + 12);
}

/* Append one region; returns false once the table is full. */
static bool mb2_add_region(struct boot_info *out, uint64_t base, uint64_t length, uint32_t type)
{
	if (length == 0)
		return true;
	if (length > UINT64_MAX - base) {
		out->warnings |= MB2_WARN_BAD_MMAP_ENTRY;
		return true;
	}
	if (out->mmap_count == MB2_MAX_MMAP) {
		out->warnings |= MB2_WARN_MMAP_TRUNCATED;
		return false;
	}
	out->mmap[out->mmap_count++] = (struct mb2_mmap_entry){base, length, type};
	return true;
}

static void mb2_parse_mmap(const struct mb2_tag *tag, struct boot_info *out)
{
	uint32_t entry_size = tag->size >= MB2_MMAP_HDR ? mb2_rd32(tag->p + 8) : 0;
	if (entry_size < MB2_MMAP_ENTRY || entry_size % 8 != 0) {
		out->warnings |= MB2_WARN_BAD_MMAP;
		return;
	}
	uint32_t bytes = tag->size - MB2_MMAP_HDR;
	if (bytes % entry_size != 0)
		out->warnings |= MB2_WARN_BAD_MMAP; /* a partial last entry is dropped */
	for (uint32_t off = 0; bytes - off >= entry_size; off += entry_size) {
		const uint8_t *e = tag->p + MB2_MMAP_HDR + off;
		if (!mb2_add_region(out, mb2_rd64(e), mb2_rd64(e + 8), mb2_rd32(e + 16)))
			break;
	}
	/* A map without a single usable entry is no map: let meminfo stand in. */
	out->has_mmap = out->mmap_count > 0;
}

static bool mb2_fb_field_ok(uint8_t pos, uint8_t size, uint8_t bpp)
{
	return size >= 1 && size <= 16 && pos + size <= bpp;
}

/* Direct-colour geometry the console can draw into without overrunning. */
static bool mb2_fb_geometry_ok(const struct mb2_framebuffer *fb)
{
	if (fb->bpp != 15 && fb->bpp != 16 && fb->bpp != 24 && fb->bpp != 32)
		return false;
	if (fb->addr == 0 || fb->width == 0 || fb->height == 0)
		return false;
	if (fb->pitch < (uint64_t)fb->width * ((fb->bpp + 7u) / 8u))
		return false;
	if ((uint64_t)fb->pitch * fb->height > UINT64_MAX - fb->addr)
		return false;
	return mb2_fb_field_ok(fb->red_pos, fb->red_size, fb->bpp) &&
	       mb2_fb_field_ok(fb->green_pos, fb->green_size, fb->bpp) &&
	       mb2_fb_field_ok(fb->blue_pos, fb->blue_size, fb->bpp);
}

static void mb2_parse_fb_rgb(const struct mb2_tag *tag, struct boot_info *out)
{
	struct mb2_framebuffer *fb = &out->fb;

	if (tag->size < MB2_FB_RGB_MIN) {
		out->warnings |= MB2_WARN_BAD_FRAMEBUFFER;
		return;
	}
	const uint8_t *c = tag->p + MB2_FB_COMMON;
	fb->red_pos = c[0];
	fb->red_size = c[1];
	fb->green_pos = c[2];
	fb->green_size = c[3];
	fb->blue_pos = c[4];
	fb->blue_size = c[5];
	fb->usable = mb2_fb_geometry_ok(fb);
	if (!fb->usable)
		out->warnings |= MB2_WARN_BAD_FRAMEBUFFER;
}

static void mb2_parse_framebuffer(const struct mb2_tag *tag, struct boot_info *out)
{
	struct mb2_framebuffer *fb = &out->fb;

	if (tag->size < MB2_FB_COMMON) {
		out->warnings |= MB2_WARN_BAD_FRAMEBUFFER;
		return;
	}
	fb->present = true;
	fb->addr = mb2_rd64(tag->p + 8);
	fb->pitch = mb2_rd32(tag->p + 16);
	fb->width = mb2_rd32(tag->p + 20);
	fb->height = mb2_rd32(tag->p + 24);
	fb->bpp = tag->p[28];
	fb->type = tag->p[29];
	if (fb->type == MB2_FB_RGB)
		mb2_parse_fb_rgb(tag, out);
	else
		out->warnings |= MB2_WARN_FB_UNSUPPORTED;
}

/* Tag 14 holds a 20-byte RSDP 1.0, tag 15 a 36-byte RSDP 2.0; 15 wins. */
static void mb2_parse_rsdp(const struct mb2_tag *tag, struct boot_info *out)
{
	bool is_new = tag->type == MB2_TAG_ACPI_NEW;
	uint32_t len = is_new ? MB2_RSDP_MAX : MB2_RSDP_V1_LEN;

	if (tag->size - MB2_TAG_HDR < len) {
		out->warnings |= MB2_WARN_BAD_ACPI;
		return;
	}
	if (out->rsdp_from_new && !is_new)
		return;
	for (uint32_t i = 0; i < MB2_RSDP_MAX; i++)
		out->rsdp[i] = i < len ? tag->p[MB2_TAG_HDR + i] : 0;
	out->has_rsdp = true;
	out->rsdp_from_new = is_new;
	out->rsdp_len = len;
	out->rsdp_revision = out->rsdp[15];
}

static void mb2_dispatch(const struct mb2_tag *tag, struct boot_info *out, uint32_t *seen)
{
	uint32_t bit = tag->type < 32 ? 1u << tag->type : 0;

	if (bit & MB2_ONCE_TAGS) {
		if (*seen & bit) {
			out->warnings |= MB2_WARN_DUPLICATE_TAG;
			return;
		}
		*seen |= bit;
	}
	switch (tag->type) {
	case MB2_TAG_CMDLINE:
		out->cmdline = mb2_tag_string(tag, MB2_TAG_HDR, &out->warnings);
		break;
	case MB2_TAG_LOADER_NAME:
		out->loader_name = mb2_tag_string(tag, MB2_TAG_HDR, &out->warnings);
		break;
	case MB2_TAG_MODULE:
		mb2_parse_module(tag, out);
		break;
	case MB2_TAG_MEMINFO:
		mb2_parse_meminfo(tag, out);
		break;
	case MB2_TAG_MMAP:
		mb2_parse_mmap(tag, out);
		break;
	case MB2_TAG_FRAMEBUFFER:
		mb2_parse_framebuffer(tag, out);
		break;
	case MB2_TAG_ACPI_OLD:
	case MB2_TAG_ACPI_NEW:
		mb2_parse_rsdp(tag, out);
		break;
	default:
		break; /* tags we do not use */
	}
}

/* Step through the tags after the 8-byte header; stop at the end tag or a bad size. */
static void mb2_walk(const uint8_t *base, uint32_t total, struct boot_info *out)
{
	uint32_t seen = 0;
	uint32_t off = MB2_TAG_HDR;

	while (total - off >= MB2_TAG_HDR) {
		struct mb2_tag tag = {base + off, mb2_rd32(base + off), mb2_rd32(base + off + 4)};
		if (tag.size < MB2_TAG_HDR || tag.size > total - off) {
			out->warnings |= MB2_WARN_BAD_TAG;
			return;
		}
		if (tag.type == MB2_TAG_END)
			return;
		mb2_dispatch(&tag, out, &seen);
		uint64_t step = ALIGN_UP((uint64_t)tag.size, 8);
		if (step > total - off)
			break;
		off += (uint32_t)step;
	}
	out->warnings |= MB2_WARN_NO_END_TAG;
}

/* Without a memory map, describe the two ranges the basic meminfo tag gives. */
static void mb2_mmap_from_meminfo(struct boot_info *out)
{
	out->warnings |= MB2_WARN_MMAP_FROM_MEMINFO;
	out->has_mmap = true;
	mb2_add_region(out, 0, (uint64_t)out->mem_lower_kib * 1024, MB2_MEM_AVAILABLE);
	mb2_add_region(out, MB2_LOW_MEM_END, (uint64_t)out->mem_upper_kib * 1024,
		       MB2_MEM_AVAILABLE);
}

static void mb2_finish(struct boot_info *out)
{
	if (!out->has_mmap) {
		out->warnings |= MB2_WARN_NO_MMAP;
		if (out->has_meminfo)
			mb2_mmap_from_meminfo(out);
	}
	if (!out->fb.present)
		out->warnings |= MB2_WARN_NO_FRAMEBUFFER;
	if (!out->has_rsdp)
		out->warnings |= MB2_WARN_NO_ACPI;
}

int mb2_parse(const void *info, size_t avail, struct boot_info *out)
{
	if (out == NULL)
		return MB2_EINVAL;
	*out = (struct boot_info){0};
	if (info == NULL || avail < MB2_TAG_HDR)
		return MB2_EINVAL;
	const uint8_t *base = info;
	uint32_t total = mb2_rd32(base);
	if (total < MB2_TAG_HDR)
		return MB2_EINVAL;
	if (total > avail)
		return MB2_ETRUNC;
	out->total_size = total;
	if ((((uintptr_t)info) | total) & 7)
		out->warnings |= MB2_WARN_UNALIGNED;
	mb2_walk(base, total, out);
	mb2_finish(out);
	return 0;
}
