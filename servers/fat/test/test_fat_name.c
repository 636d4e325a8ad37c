/* SPDX-License-Identifier: MIT */
/*
 * Host test of FAT names (name.c): UTF-8 <-> UTF-16 both ways (Japanese and
 * a character past the BMP), malformed UTF-8 refused, the short-name
 * checksum against one worked by hand from the spec's formula, 8.3 forms
 * with their case bits, aliases with "~n" and the characters a short name
 * cannot hold, and which long names may be stored.
 */
#include <string.h>

#include "../fat_impl.h"
#include "check.h"

static void test_utf(void)
{
	const char *jp = "日本語のファイル.txt";
	uint16_t u[FAT_NAME_MAX];
	char back[FAT_NAME_BYTES];

	CHECK_EQ(name_utf8_to_16(jp, strlen(jp), u, FAT_NAME_MAX), 12);
	CHECK_EQ(u[0], 0x65E5); /* 日 */
	CHECK_EQ(u[7], 0x30EB); /* ル */
	CHECK_EQ(u[8], '.');
	name_utf16_to_8(u, 12, back, sizeof(back));
	CHECK(!strcmp(back, jp));

	const char *emoji = "a\xF0\x9F\x98\x80"; /* U+1F600 */
	CHECK_EQ(name_utf8_to_16(emoji, 5, u, FAT_NAME_MAX), 3);
	CHECK_EQ(u[1], 0xD83D);
	CHECK_EQ(u[2], 0xDE00);
	name_utf16_to_8(u, 3, back, sizeof(back));
	CHECK(!strcmp(back, emoji));

	CHECK_EQ(name_utf8_to_16("\xC0\xAF", 2, u, FAT_NAME_MAX), E_INVAL);	/* overlong '/' */
	CHECK_EQ(name_utf8_to_16("\xE6\x97", 2, u, FAT_NAME_MAX), E_INVAL);	/* cut short */
	CHECK_EQ(name_utf8_to_16("\xED\xA0\x80", 3, u, FAT_NAME_MAX), E_INVAL); /* a surrogate */
	CHECK_EQ(name_utf8_to_16("abc", 3, u, 2), E_INVAL);			/* too long */

	uint16_t lone[2] = {'x', 0xDC00};
	name_utf16_to_8(lone, 2, back, sizeof(back));
	CHECK(!strcmp(back, "x\xEF\xBF\xBD")); /* U+FFFD */
}

/*
 * ASCII runs of every length around a non-ASCII character at every place, and
 * the 4-unit ASCII copy near the end of the output room: each converts both
 * ways to the same bytes, with the lengths returned.
 */
static void test_utf_runs(void)
{
	char in[40], back[40];
	uint16_t u[40];

	for (unsigned len = 0; len <= 13; len++)
		for (unsigned at = 0; at <= len; at++) {
			unsigned n = 0;
			for (unsigned i = 0; i < len; i++) {
				if (i == at)
					n += (unsigned)snprintf(in + n, sizeof(in) - n,
								"\xC3\xA9"); /* é */
				in[n++] = (char)('a' + i);
			}
			in[n] = 0;
			long units = name_utf8_to_16(in, n, u, 40);
			CHECK_EQ(units, (long)(len + (at < len)));
			CHECK_EQ(name_utf16_to_8(u, (size_t)units, back, sizeof(back)), (size_t)n);
			CHECK(!strcmp(back, in));
		}
	char longest[FAT_NAME_MAX + 1];
	uint16_t units[FAT_NAME_MAX];
	memset(longest, 'x', sizeof(longest));
	CHECK_EQ(name_utf8_to_16(longest, FAT_NAME_MAX, units, FAT_NAME_MAX), (long)FAT_NAME_MAX);
	CHECK(units[0] == 'x' && units[FAT_NAME_MAX - 1] == 'x');
	CHECK_EQ(name_utf8_to_16(longest, FAT_NAME_MAX + 1, units, FAT_NAME_MAX), E_INVAL);
	uint16_t abc[8] = {'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'};
	CHECK_EQ(name_utf16_to_8(abc, 8, back, 9), (size_t)8); /* just room */
	CHECK(!strcmp(back, "abcdefgh"));
	CHECK_EQ(name_utf16_to_8(abc, 8, back, 6), (size_t)5); /* cut to the room, NUL kept */
	CHECK(!strcmp(back, "abcde"));
}

static void test_checksum(void)
{
	/*
	 * sum = (sum >> 1) + ((sum & 1) << 7) + c, by hand for "A" and ten spaces:
	 * 0x41, then C0 80 60 50 48 44 42 41 C0 80. mtools' long names (read by
	 * test_fat_images.py) check the rest.
	 */
	CHECK_EQ(name_checksum((const uint8_t *)"A          "), 0x80);
	CHECK_EQ(name_checksum((const uint8_t *)"B          "), 0xC0); /* 0x42, 41, then as above */
}

static void test_short(void)
{
	uint8_t sn[11], nt;

	CHECK(name_as_short("README.TXT", 10, sn, &nt));
	CHECK(!memcmp(sn, "README  TXT", 11));
	CHECK_EQ(nt, 0);
	CHECK(name_as_short("readme.txt", 10, sn, &nt));
	CHECK(!memcmp(sn, "README  TXT", 11));
	CHECK_EQ(nt, 0x18);
	CHECK(name_as_short("Makefile", 8, sn, &nt) == false); /* mixed case */
	CHECK(name_as_short("a.tar.gz", 8, sn, &nt) == false);
	CHECK(name_as_short("toolongname", 11, sn, &nt) == false);
	CHECK(name_as_short("with space", 10, sn, &nt) == false);
	CHECK(name_as_short("x.jpeg", 6, sn, &nt) == false);
	CHECK(name_as_short("NOEXT", 5, sn, &nt));
	CHECK(!memcmp(sn, "NOEXT      ", 11));

	char out[13];
	memcpy(sn, "README  TXT", 11);
	name_short_to_8(sn, 0x08, out);
	CHECK(!strcmp(out, "readme.TXT"));
	memcpy(sn,
	       "\x05"
	       "ABC    TXT",
	       11);
	name_short_to_8(sn, 0, out);
	CHECK(!strcmp(out, "_ABC.TXT")); /* 0xE5 (an OEM byte) shown as '_' */
	memcpy(sn, "A\x81\x01Z~1  TXT", 11);
	CHECK_EQ(name_short_to_8(sn, 0x18, out), (size_t)10); /* both parts lower case */
	CHECK(!strcmp(out, "a__z~1.txt"));
	memcpy(sn, "NOEXT      ", 11);
	CHECK_EQ(name_short_to_8(sn, 0x10, out), (size_t)5);
	CHECK(!strcmp(out, "NOEXT"));
}

static void test_alias(void)
{
	uint8_t sn[11];
	unsigned base;
	const char *jp = "日本語のファイル.txt";

	name_alias_parts("My Long File.Name.text", 22, sn, &base);
	CHECK(!memcmp(sn, "MYLONGFITEX", 11));
	CHECK_EQ(base, 8);
	name_alias_number(sn, base, 1);
	CHECK(!memcmp(sn, "MYLONG~1TEX", 11));
	name_alias_number(sn, base, 12345);
	CHECK(!memcmp(sn, "MY~12345TEX", 11));

	name_alias_parts(jp, strlen(jp), sn, &base);
	CHECK(!memcmp(sn, "________TXT", 11)); /* one '_' per character */
	name_alias_parts("ab+c", 4, sn, &base);
	CHECK(!memcmp(sn, "AB_C       ", 11));
	CHECK_EQ(base, 4);
	name_alias_number(sn, base, 2);
	CHECK(!memcmp(sn, "AB_C~2     ", 11));
	name_alias_parts(".hidden", 7, sn, &base);
	CHECK(!memcmp(sn, "_       HID", 11));
}

static void test_valid(void)
{
	CHECK(name_valid("日本語のファイル.txt", strlen("日本語のファイル.txt")));
	CHECK(name_valid("a b", 3));
	CHECK(!name_valid(".", 1));
	CHECK(!name_valid("..", 2));
	CHECK(!name_valid("", 0));
	CHECK(!name_valid("a:b", 3));
	CHECK(!name_valid("a*", 2));
	CHECK(!name_valid("tab\there", 8));
	CHECK(!name_valid("dot.", 4));
	CHECK(name_equal("ReadMe.TXT", 10, "readme.txt", 10));
	CHECK(!name_equal("readme.txt", 10, "readme.tx", 9));
}

int main(void)
{
	test_utf();
	test_utf_runs();
	test_checksum();
	test_short();
	test_alias();
	test_valid();
	return check_summary("fat_name");
}
