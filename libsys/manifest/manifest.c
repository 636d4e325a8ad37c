/* SPDX-License-Identifier: MIT */
/*
 * The manifest parser (manifest/manifest.h). Three layers: slices (a pointer and
 * a length into the text, never NUL-terminated, so nothing is read past the
 * end), one setter per key that checks and stores its value, and the line
 * loop; the keys, sections and set checks are in manifest_keys.c and
 * manifest_devices.c. Every error names the line and stops the parse; the
 * output is then not to be used.
 */
#include "manifest/manifest.h"

#include <stdarg.h>
#include <stdbool.h>
#include <string.h>

#include "manifest_impl.h"
#include "sys/fmt.h"

int mf_error(struct mf_parser *ps, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ps->err->line = ps->line;
	vsnprintf(ps->err->text, sizeof(ps->err->text), fmt, ap);
	va_end(ap);
	return -1;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

struct mf_slice mf_trim(struct mf_slice s)
{
	while (s.n && is_blank(s.s[0])) {
		s.s++;
		s.n--;
	}
	while (s.n && is_blank(s.s[s.n - 1]))
		s.n--;
	return s;
}

bool mf_eq(struct mf_slice s, const char *word)
{
	size_t n = strlen(word);
	return s.n == n && memcmp(s.s, word, n) == 0;
}

/* The printable length of a slice in a message (long ones are cut). */
int mf_shown(struct mf_slice s)
{
	return s.n > 24 ? 24 : (int)s.n;
}

static int digit_of(char c, unsigned base)
{
	int d = -1;

	if (c >= '0' && c <= '9')
		d = c - '0';
	else if (c >= 'a' && c <= 'f')
		d = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		d = c - 'A' + 10;
	return d >= 0 && (unsigned)d < base ? d : -1;
}

/* A whole slice as a decimal or 0x-hex number without sign; false if it is not one. */
bool mf_number(struct mf_slice s, uint64_t *out)
{
	unsigned base = 10;
	uint64_t v = 0;

	if (s.n > 2 && s.s[0] == '0' && (s.s[1] == 'x' || s.s[1] == 'X')) {
		base = 16;
		s.s += 2;
		s.n -= 2;
	}
	if (s.n == 0)
		return false;
	for (size_t i = 0; i < s.n; i++) {
		int d = digit_of(s.s[i], base);
		if (d < 0 || v > (UINT64_MAX - (uint64_t)d) / base)
			return false;
		v = v * base + (uint64_t)d;
	}
	*out = v;
	return true;
}

/* Split off the next list item (items end at a comma or a blank); false when none is left. */
bool mf_next_item(struct mf_slice *rest, struct mf_slice *item)
{
	while (rest->n && (rest->s[0] == ',' || is_blank(rest->s[0]))) {
		rest->s++;
		rest->n--;
	}
	if (rest->n == 0)
		return false;
	size_t n = 0;
	while (n < rest->n && rest->s[n] != ',' && !is_blank(rest->s[n]))
		n++;
	*item = (struct mf_slice){rest->s, n};
	rest->s += n;
	rest->n -= n;
	return true;
}

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || c == '.';
}

/* Check a name (1-15 of [A-Za-z0-9_.-]) and copy it NUL-terminated into dst. */
int mf_name(struct mf_parser *ps, struct mf_slice s, char dst[MANIFEST_NAME_MAX], const char *what)
{
	if (s.n == 0)
		return mf_error(ps, "empty %s", what);
	if (s.n >= MANIFEST_NAME_MAX)
		return mf_error(ps, "%s '%.*s...' too long (max %d characters)", what, mf_shown(s),
				s.s, MANIFEST_NAME_MAX - 1);
	for (size_t i = 0; i < s.n; i++)
		if (!name_char(s.s[i]))
			return mf_error(ps, "bad character in %s '%.*s'", what, mf_shown(s), s.s);
	memcpy(dst, s.s, s.n);
	dst[s.n] = '\0';
	return 0;
}

/* A number in [lo, hi] for `key`. */
int mf_bounded(struct mf_parser *ps, struct mf_slice v, uint64_t lo, uint64_t hi, uint64_t *out,
	       const char *key)
{
	if (!mf_number(v, out))
		return mf_error(ps, "%s: bad number '%.*s'", key, mf_shown(v), v.s);
	if (*out < lo || *out > hi)
		return mf_error(ps, "%s: %llu out of range %llu-%llu", key,
				(unsigned long long)*out, (unsigned long long)lo,
				(unsigned long long)hi);
	return 0;
}

/* Index of `v` among `words`, or an error naming the key and the choices. */
int mf_choice(struct mf_parser *ps, struct mf_slice v, const char *const *words, unsigned count,
	      const char *key, uint8_t *out)
{
	for (unsigned i = 0; i < count; i++) {
		if (mf_eq(v, words[i])) {
			*out = (uint8_t)i;
			return 0;
		}
	}
	return mf_error(ps, "%s: unknown value '%.*s'", key, mf_shown(v), v.s);
}

static const char *const restart_names[] = {"always", "on-failure", "never"};
static const char *const recovery_names[] = {"stateless", "rebuild", "memory"};
static const char *const yes_no[] = {"no", "yes"};

const char *manifest_restart_name(unsigned restart)
{
	return restart < 3 ? restart_names[restart] : "?";
}

const char *manifest_recovery_name(unsigned recovery)
{
	return recovery < 3 ? recovery_names[recovery] : "?";
}

int mf_set_restart(struct mf_parser *ps, struct mf_slice v)
{
	return mf_choice(ps, v, restart_names, 3, "restart", &ps->cur->restart);
}

int mf_set_recovery(struct mf_parser *ps, struct mf_slice v)
{
	return mf_choice(ps, v, recovery_names, 3, "recovery", &ps->cur->recovery);
}

int mf_set_autostart(struct mf_parser *ps, struct mf_slice v)
{
	return mf_choice(ps, v, yes_no, 2, "autostart", &ps->cur->autostart);
}

/* --- the line loop --- */

static int parse_line(struct mf_parser *ps, struct mf_slice line)
{
	if (memchr(line.s, '\0', line.n))
		return mf_error(ps, "NUL byte in the text");
	const char *hash = memchr(line.s, '#', line.n);
	if (hash)
		line.n = (size_t)(hash - line.s);
	line = mf_trim(line);
	if (line.n == 0)
		return 0;
	if (line.s[0] == '[')
		return mf_section(ps, line);
	return mf_assignment(ps, line);
}

int manifest_parse(const char *text, size_t len, struct manifest *out, size_t max,
		   struct manifest_error *err)
{
	struct mf_parser ps = {.out = out, .max = max, .err = err};
	const char *p = text, *end = text + len;

	*err = (struct manifest_error){0};
	if (max > MANIFEST_MAX_SERVICES)
		ps.max = MANIFEST_MAX_SERVICES;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *stop = nl ? nl : end;
		ps.line++;
		if (parse_line(&ps, (struct mf_slice){p, (size_t)(stop - p)}) < 0)
			return -1;
		p = nl ? nl + 1 : end;
	}
	if (mf_section_end(&ps) < 0 || mf_check_set(&ps) < 0)
		return -1;
	return (int)ps.count;
}
