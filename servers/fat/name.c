/* SPDX-License-Identifier: MIT */
/*
 * Names on a FAT volume. Long names are UTF-16 (up to 255 units) in runs
 * of 13-unit slots, converted here to and from UTF-8. A short name is 11
 * bytes, base and extension padded with spaces, in upper case; Windows NT
 * (and mtools) mark an all-lower-case base or extension with bits 3 and 4
 * of byte 12 instead of storing a long name. A long name that has no 8.3
 * form gets an alias: its characters upper-cased, those a short name cannot
 * hold turned into '_', the base cut to leave room for "~n". Lookup folds
 * ASCII case only (other letters compare exactly).
 */
#include <string.h>

#include "fat_impl.h"

/* One code point from UTF-8 at s (at most left bytes): its length, or 0 if malformed. */
static unsigned utf8_decode(const uint8_t *s, size_t left, uint32_t *cp)
{
	unsigned n = s[0] < 0x80       ? 1
		     : s[0] >> 5 == 6  ? 2
		     : s[0] >> 4 == 14 ? 3
		     : s[0] >> 3 == 30 ? 4
				       : 0;
	static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};

	if (n == 0 || n > left)
		return 0;
	uint32_t x = n == 1 ? s[0] : s[0] & (0x7F >> n);
	for (unsigned i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		x = x << 6 | (s[i] & 0x3F);
	}
	if (x < min[n] || x > 0x10FFFF || (x >= 0xD800 && x < 0xE000))
		return 0;
	*cp = x;
	return n;
}

typedef uint64_t __attribute__((may_alias, aligned(1))) units4_t; /* four UTF-16 units */
typedef uint32_t __attribute__((may_alias, aligned(1))) bytes4_t;
typedef uint64_t __attribute__((may_alias, aligned(1))) bytes8_t;

/* Four bytes (the low ones of x) as four UTF-16 units (x86 is little-endian). */
static uint64_t widen4(uint64_t x)
{
	x = (x | x << 16) & 0x0000FFFF0000FFFFull;
	return (x | x << 8) & 0x00FF00FF00FF00FFull;
}

/* The ASCII bytes at the start of s as units, eight at a time while they last: how many. */
static size_t ascii_widen(const uint8_t *s, size_t len, uint16_t *out, size_t max)
{
	size_t i = 0, lim = len < max ? len : max;

	for (; i + 8 <= lim; i += 8) {
		uint64_t w = *(const bytes8_t *)(s + i);
		if (w & 0x8080808080808080ull)
			break;
		*(units4_t *)(out + i) = widen4(w & 0xFFFFFFFF);
		*(units4_t *)(out + i + 4) = widen4(w >> 32);
	}
	return i;
}

long name_utf8_to_16(const char *str, size_t len, uint16_t *out, size_t max)
{
	const uint8_t *s = (const uint8_t *)str;
	size_t n = ascii_widen(s, len, out, max);

	for (size_t i = n; i < len;) {
		uint32_t cp;
		if (s[i] < 0x80 && n < max) {
			out[n++] = s[i++]; /* the usual case */
			continue;
		}
		unsigned k = utf8_decode(s + i, len - i, &cp);
		if (k == 0)
			return E_INVAL;
		i += k;
		if (cp >= 0x10000) {
			if (n + 2 > max)
				return E_INVAL;
			cp -= 0x10000;
			out[n++] = (uint16_t)(0xD800 | cp >> 10);
			out[n++] = (uint16_t)(0xDC00 | (cp & 0x3FF));
		} else {
			if (n + 1 > max)
				return E_INVAL;
			out[n++] = (uint16_t)cp;
		}
	}
	return (long)n;
}

static size_t utf8_put(uint32_t cp, char *o)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xC0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xE0 | cp >> 12);
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | cp >> 18);
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* The ASCII units at the start of u as bytes, four at a time (x86 is little-endian): how many. */
static size_t ascii_prefix(const uint16_t *u, size_t n, char *out)
{
	size_t i = 0;

	for (; i + 4 <= n; i += 4) {
		uint64_t w = *(const units4_t *)(u + i);
		if (w & 0xFF80FF80FF80FF80ull)
			break;				  /* a unit from 0x80 on */
		w = (w | w >> 8) & 0x0000FFFF0000FFFFull; /* units 0 1 in bytes 0 1, 2 3 in 4 5 */
		*(bytes4_t *)(out + i) = (uint32_t)(w | w >> 16);
	}
	for (; i < n && u[i] < 0x80; i++)
		out[i] = (char)u[i];
	return i;
}

size_t name_utf16_to_8(const uint16_t *u, size_t n, char *out, size_t size)
{
	size_t o = 0, i = 0;

	if (n < size) /* the usual case: ASCII, copied while it lasts */
		o = i = ascii_prefix(u, n, out);
	for (; i < n; i++) {
		uint32_t cp = u[i];
		char tmp[4];
		if (cp >= 0xD800 && cp < 0xDC00 && i + 1 < n && u[i + 1] >= 0xDC00 &&
		    u[i + 1] < 0xE000) {
			cp = 0x10000 + ((cp - 0xD800) << 10) + (u[i + 1] - 0xDC00);
			i++;
		} else if (cp >= 0xD800 && cp < 0xE000) {
			cp = 0xFFFD;
		}
		size_t k = utf8_put(cp, tmp);
		if (o + k + 1 > size)
			break;
		memcpy(out + o, tmp, k);
		o += k;
	}
	out[o] = 0;
	return o;
}

/* One bit per ASCII character: whether it is in the set (bytes from 0x80 on never are). */
struct ascii_set {
	uint64_t lo, hi;
};

static bool in_set(const struct ascii_set *set, uint8_t c)
{
	return c < 64 ? set->lo >> c & 1 : c < 128 && set->hi >> (c - 64) & 1;
}

#define BIT(c) (1ull << ((c) % 64))

/* What a long name may not hold: control characters, DEL and "*\/:<>?\|. */
static const struct ascii_set reserved = {0xFFFFFFFFull | BIT('"') | BIT('*') | BIT('/') |
						  BIT(':') | BIT('<') | BIT('>') | BIT('?'),
					  BIT('\\') | BIT('|') | BIT(0x7F)};

static bool name_reserved(uint8_t c)
{
	return in_set(&reserved, c);
}

bool name_valid(const char *s, size_t len)
{
	if (len == 0 || (len == 1 && s[0] == '.') || (len == 2 && s[0] == '.' && s[1] == '.'))
		return false;
	if (s[len - 1] == '.' || s[len - 1] == ' ')
		return false; /* Windows strips these, so such a name could not be found again */
	for (size_t i = 0; i < len; i++)
		if (name_reserved((uint8_t)s[i]))
			return false;
	return true;
}

/* What an 8.3 name may hold: A-Z, 0-9 and !#$%&'()-@^_`{}~. */
static const struct ascii_set short_chars = {
	0x03FF000000000000ull | BIT('!') | BIT('#') | BIT('$') | BIT('%') | BIT('&') | BIT('\'') |
		BIT('(') | BIT(')') | BIT('-'),
	0x07FFFFFEull | BIT('@') | BIT('^') | BIT('_') | BIT('`') | BIT('{') | BIT('}') | BIT('~')};

static bool short_char(uint8_t c)
{
	return in_set(&short_chars, c);
}

static uint8_t upper(uint8_t c)
{
	return c >= 'a' && c <= 'z' ? (uint8_t)(c - 32) : c;
}

/* One part (base or extension) into dst as 8.3; its case: 1 lower, 2 upper, 3 mixed, 0 none. */
static bool short_part(const char *s, size_t n, uint8_t *dst, size_t max, unsigned *cases)
{
	if (n > max)
		return false;
	for (size_t i = 0; i < n; i++) {
		uint8_t c = (uint8_t)s[i];
		if (c >= 'a' && c <= 'z')
			*cases |= 1;
		else if (c >= 'A' && c <= 'Z')
			*cases |= 2;
		if (!short_char(upper(c)))
			return false;
		dst[i] = upper(c);
	}
	return true;
}

bool name_as_short(const char *s, size_t len, uint8_t sn[11], uint8_t *nt)
{
	const char *dot = memchr(s, '.', len);
	size_t blen = dot ? (size_t)(dot - s) : len;
	unsigned cb = 0, ce = 0;

	memset(sn, ' ', 11);
	*nt = 0;
	if (blen == 0 || (dot && memchr(dot + 1, '.', len - blen - 1)) || (dot && blen + 1 == len))
		return false;
	if (!short_part(s, blen, sn, 8, &cb))
		return false;
	if (dot && !short_part(dot + 1, len - blen - 1, sn + 8, 3, &ce))
		return false;
	if (cb == 3 || ce == 3)
		return false; /* mixed case needs a long name to keep it */
	if (sn[0] == 0xE5)
		sn[0] = 0x05;
	*nt = (uint8_t)((cb == 1 ? 0x08 : 0) | (ce == 1 ? 0x10 : 0));
	return true;
}

/* A character of a long name as it goes into an alias ('_' if it cannot). */
static uint8_t alias_char(uint8_t c)
{
	c = upper(c);
	return short_char(c) ? c : '_';
}

void name_alias_parts(const char *s, size_t len, uint8_t sn[11], unsigned *base_len)
{
	const char *dot = NULL;
	unsigned b = 0, e = 0;

	for (size_t i = len; i-- > 0 && !dot;) /* the last dot: from the end */
		if (s[i] == '.')
			dot = s + i;
	memset(sn, ' ', 11);
	for (const char *p = s; p < (dot ? dot : s + len) && b < 8; p++) {
		uint8_t c = (uint8_t)*p;
		if (c == ' ' || c == '.')
			continue;
		if (c >= 0x80) {
			while (p + 1 < s + len && ((uint8_t)p[1] & 0xC0) == 0x80)
				p++; /* one '_' for a whole multi-byte character */
		}
		sn[b++] = alias_char(c);
	}
	for (const char *p = dot ? dot + 1 : s + len; p < s + len && e < 3; p++) {
		uint8_t c = (uint8_t)*p;
		if (c == ' ')
			continue;
		if (c >= 0x80)
			while (p + 1 < s + len && ((uint8_t)p[1] & 0xC0) == 0x80)
				p++;
		sn[8 + e++] = alias_char(c);
	}
	if (b == 0)
		sn[b++] = '_';
	*base_len = b;
}

void name_alias_number(uint8_t sn[11], unsigned base_len, uint32_t n)
{
	char digits[8];
	unsigned d = 0, keep;

	for (uint32_t x = n; x && d < 7; x /= 10)
		digits[d++] = (char)('0' + x % 10);
	keep = base_len < 7 - d ? base_len : 7 - d;
	memset(sn + keep, ' ', 8 - keep);
	sn[keep] = '~';
	for (unsigned i = 0; i < d; i++)
		sn[keep + 1 + i] = (uint8_t)digits[d - 1 - i];
}

uint8_t name_checksum(const uint8_t sn[11])
{
	uint8_t sum = 0;

	for (int i = 0; i < 11; i++)
		sum = (uint8_t)(((sum & 1) << 7) + (sum >> 1) + sn[i]);
	return sum;
}

/*
 * One byte of a short name as UTF-8: lower-cased by `lower` (32 or 0) if a
 * capital; bytes past 0x7F are an OEM code page (and 0x05 stands for 0xE5)
 * and control bytes are no name, so they show as '_' and the name stays UTF-8.
 */
static char short_byte(uint8_t c, uint8_t lower)
{
	if (c >= 'A' && c <= 'Z')
		return (char)(c + lower);
	return c >= 0x80 || c < 0x20 ? '_' : (char)c;
}

size_t name_short_to_8(const uint8_t sn[11], uint8_t nt, char out[13])
{
	uint8_t lower_base = nt & 0x08 ? 32 : 0, lower_ext = nt & 0x10 ? 32 : 0;
	size_t o = 0;

	for (int i = 0; i < 8 && sn[i] != ' '; i++)
		out[o++] = short_byte(sn[i], lower_base);
	if (sn[8] != ' ')
		out[o++] = '.';
	for (int i = 8; i < 11 && sn[i] != ' '; i++)
		out[o++] = short_byte(sn[i], lower_ext);
	out[o] = 0;
	return o;
}

bool name_equal(const char *a, size_t alen, const char *b, size_t blen)
{
	if (alen != blen)
		return false;
	for (size_t i = 0; i < alen; i++)
		if (upper((uint8_t)a[i]) != upper((uint8_t)b[i]))
			return false;
	return true;
}
