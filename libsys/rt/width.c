/* SPDX-License-Identifier: MIT */
/*
 * How many terminal columns a code point takes (sys/width.h), one table
 * for every program that lays out text in cells: the GUI terminal's grid
 * and the line editor of libsys/shell must agree, or a cursor drawn by one
 * lands beside the character drawn by the other. Widths follow Unicode's
 * East Asian Width property in outline: the Wide and Fullwidth blocks
 * (Hangul Jamo, CJK radicals to Yi, Hangul syllables, CJK compatibility,
 * vertical and small forms, full-width forms, the supplementary
 * ideographic planes, the pictographs) take two columns; combining marks
 * and zero-width characters none; the rest one.
 */
#include "sys/width.h"

#include <stdbool.h>

struct range {
	uint32_t first, last;
};

static const struct range wide[] = {
	{0x1100, 0x115F},   {0x231A, 0x231B},	{0x2329, 0x232A},   {0x23E9, 0x23EC},
	{0x2E80, 0x303E},   {0x3041, 0x33FF},	{0x3400, 0x4DBF},   {0x4E00, 0x9FFF},
	{0xA000, 0xA4CF},   {0xA960, 0xA97F},	{0xAC00, 0xD7A3},   {0xF900, 0xFAFF},
	{0xFE10, 0xFE19},   {0xFE30, 0xFE6F},	{0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},
	{0x1F300, 0x1F64F}, {0x1F900, 0x1F9FF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
};

static const struct range zero[] = {
	{0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x0610, 0x061A}, {0x064B, 0x065F},
	{0x200B, 0x200F}, {0x2028, 0x202E}, {0x2060, 0x2064}, {0x20D0, 0x20FF}, {0x3099, 0x309A},
	{0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF},
};

static bool in(const struct range *r, int n, uint32_t cp)
{
	int lo = 0, hi = n - 1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		if (cp < r[mid].first)
			hi = mid - 1;
		else if (cp > r[mid].last)
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

int char_width(uint32_t cp)
{
	if (cp < 0x300)
		return 1;
	if (in(zero, sizeof(zero) / sizeof(zero[0]), cp))
		return 0;
	return in(wide, sizeof(wide) / sizeof(wide[0]), cp) ? 2 : 1;
}
