/* SPDX-License-Identifier: MIT */
/*
 * The colours of the palette: xterm's 16 ANSI colours, a 6x6x6 cube and
 * 24 greys. (How many cells a code point takes is libsys's char_width,
 * sys/width.h, shared with the line editor.)
 */
#include "vt.h"

uint32_t vt_palette(uint8_t i)
{
	static const uint32_t ansi[16] = {
		0x000000, 0xCD3131, 0x0DBC79, 0xE5E510, 0x2472C8, 0xBC3FBC, 0x11A8CD, 0xE5E5E5,
		0x666666, 0xF14C4C, 0x23D18B, 0xF5F543, 0x3B8EEA, 0xD670D6, 0x29B8DB, 0xFFFFFF,
	};
	static const uint8_t level[6] = {0, 95, 135, 175, 215, 255};

	if (i < 16)
		return ansi[i];
	if (i >= 232) {
		uint32_t g = 8u + 10u * (i - 232u);
		return g << 16 | g << 8 | g;
	}
	i -= 16;
	return (uint32_t)level[i / 36] << 16 | (uint32_t)level[i / 6 % 6] << 8 | level[i % 6];
}
