/* SPDX-License-Identifier: MIT */
/*
 * The format engine (see sys/fmt.h). vcbprintf copies literal runs to the
 * callback in one piece, parses each conversion into a fmt_spec, renders
 * numbers into a small buffer from the right, and pads from constant runs
 * of spaces or zeros, so the callback sees few, large pieces. vsnprintf is
 * vcbprintf with a callback that fills a bounded buffer.
 */
#include "sys/fmt.h"

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

struct fmt_spec {
	bool left, zero, plus, space, alt;
	int width;
	int precision; /* -1 when none was given */
	char length;   /* 0, 'H' (hh), 'h', 'l', 'q' (ll), 'z', 'j', 't' */
	char conv;
};

struct fmt_out {
	fmt_put_fn *put;
	void *ctx;
	size_t total;
};

static void out_write(struct fmt_out *out, const char *s, size_t n)
{
	if (n) {
		out->put(out->ctx, s, n);
		out->total += n;
	}
}

static void out_pad(struct fmt_out *out, char c, size_t n)
{
	static const char spaces[] = "                ";
	static const char zeros[] = "0000000000000000";
	const char *run = c == '0' ? zeros : spaces;

	for (; n > sizeof(spaces) - 1; n -= sizeof(spaces) - 1)
		out_write(out, run, sizeof(spaces) - 1);
	out_write(out, run, n);
}

/* ---- parsing ---- */

static int parse_int(const char **fmt)
{
	int v = 0;

	for (; **fmt >= '0' && **fmt <= '9'; (*fmt)++)
		v = v < INT_MAX / 10 ? v * 10 + (**fmt - '0') : INT_MAX;
	return v;
}

static void parse_flags(const char **fmt, struct fmt_spec *sp)
{
	for (;; (*fmt)++) {
		switch (**fmt) {
		case '-':
			sp->left = true;
			break;
		case '0':
			sp->zero = true;
			break;
		case '+':
			sp->plus = true;
			break;
		case ' ':
			sp->space = true;
			break;
		case '#':
			sp->alt = true;
			break;
		default:
			return;
		}
	}
}

static void parse_width(const char **fmt, va_list *ap, struct fmt_spec *sp)
{
	if (**fmt != '*') {
		sp->width = parse_int(fmt);
		return;
	}
	(*fmt)++;
	sp->width = va_arg(*ap, int);
	if (sp->width < 0) {
		sp->left = true;
		sp->width = sp->width == INT_MIN ? INT_MAX : -sp->width;
	}
}

static void parse_precision(const char **fmt, va_list *ap, struct fmt_spec *sp)
{
	sp->precision = -1;
	if (**fmt != '.')
		return;
	(*fmt)++;
	if (**fmt != '*') {
		sp->precision = parse_int(fmt);
		return;
	}
	(*fmt)++;
	sp->precision = va_arg(*ap, int);
	if (sp->precision < 0)
		sp->precision = -1;
}

static void parse_length(const char **fmt, struct fmt_spec *sp)
{
	char c = **fmt;

	sp->length = 0;
	if (c != 'h' && c != 'l' && c != 'z' && c != 'j' && c != 't')
		return;
	(*fmt)++;
	sp->length = c;
	if ((c == 'h' || c == 'l') && **fmt == c) {
		(*fmt)++;
		sp->length = c == 'h' ? 'H' : 'q';
	}
}

/* Fill `sp` from the text after '%'. False if the conversion is unknown. */
static bool parse_spec(const char **fmt, va_list *ap, struct fmt_spec *sp)
{
	*sp = (struct fmt_spec){0};
	parse_flags(fmt, sp);
	parse_width(fmt, ap, sp);
	parse_precision(fmt, ap, sp);
	parse_length(fmt, sp);
	sp->conv = **fmt;
	if (!sp->conv || !strchr("diuxXpsc%", sp->conv))
		return false;
	(*fmt)++;
	return true;
}

/* ---- arguments ---- */

static int64_t fetch_signed(va_list *ap, char length)
{
	switch (length) {
	case 'H':
		return (signed char)va_arg(*ap, int);
	case 'h':
		return (short)va_arg(*ap, int);
	case 'l':
		return va_arg(*ap, long);
	case 'q':
		return va_arg(*ap, long long);
	case 'z':
		return va_arg(*ap, long); /* the signed type of size_t */
	case 'j':
		return va_arg(*ap, intmax_t);
	case 't':
		return va_arg(*ap, ptrdiff_t);
	default:
		return va_arg(*ap, int);
	}
}

static uint64_t fetch_unsigned(va_list *ap, char length)
{
	switch (length) {
	case 'H':
		return (unsigned char)va_arg(*ap, unsigned);
	case 'h':
		return (unsigned short)va_arg(*ap, unsigned);
	case 'l':
		return va_arg(*ap, unsigned long);
	case 'q':
		return va_arg(*ap, unsigned long long);
	case 'z':
		return va_arg(*ap, size_t);
	case 'j':
		return va_arg(*ap, uintmax_t);
	case 't':
		return (uint64_t)va_arg(*ap, ptrdiff_t);
	default:
		return va_arg(*ap, unsigned);
	}
}

/* ---- rendering ---- */

/* Digits of `v` written backwards ending at `end`; returns the first. */
static char *render_digits(char *end, uint64_t v, unsigned base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";

	do {
		*--end = digits[v % base];
		v /= base;
	} while (v);
	return end;
}

/* Layout: [spaces][sign or 0x][zeros][digits][spaces]. */
static void emit_number(struct fmt_out *out, const struct fmt_spec *sp, uint64_t v, bool neg)
{
	char buf[24], *end = buf + sizeof(buf), *digits = end;
	const char *prefix = neg ? "-" : sp->plus ? "+" : sp->space ? " " : "";
	size_t nd, np, zeros = 0, len;

	if (sp->conv == 'x' || sp->conv == 'X' || sp->conv == 'u')
		prefix = "";
	if (sp->conv == 'p' || (sp->alt && v && (sp->conv == 'x' || sp->conv == 'X')))
		prefix = sp->conv == 'X' ? "0X" : "0x";
	if (v || sp->precision != 0)
		digits = render_digits(
			end, v, sp->conv == 'd' || sp->conv == 'i' || sp->conv == 'u' ? 10 : 16,
			sp->conv == 'X');
	nd = (size_t)(end - digits);
	np = strlen(prefix);
	if (sp->precision >= 0 && (size_t)sp->precision > nd)
		zeros = (size_t)sp->precision - nd;
	len = np + zeros + nd;
	if (sp->zero && !sp->left && sp->precision < 0 && (size_t)sp->width > len) {
		zeros += (size_t)sp->width - len;
		len = (size_t)sp->width;
	}
	if (!sp->left && (size_t)sp->width > len)
		out_pad(out, ' ', (size_t)sp->width - len);
	out_write(out, prefix, np);
	out_pad(out, '0', zeros);
	out_write(out, digits, nd);
	if (sp->left && (size_t)sp->width > len)
		out_pad(out, ' ', (size_t)sp->width - len);
}

static void emit_text(struct fmt_out *out, const struct fmt_spec *sp, const char *s, size_t n)
{
	size_t fill = (size_t)sp->width > n ? (size_t)sp->width - n : 0;

	if (!sp->left)
		out_pad(out, ' ', fill);
	out_write(out, s, n);
	if (sp->left)
		out_pad(out, ' ', fill);
}

static void emit_conversion(struct fmt_out *out, const struct fmt_spec *sp, va_list *ap)
{
	const char *s;
	char c;
	int64_t v;

	switch (sp->conv) {
	case 'd':
	case 'i':
		v = fetch_signed(ap, sp->length);
		emit_number(out, sp, v < 0 ? 0 - (uint64_t)v : (uint64_t)v, v < 0);
		break;
	case 'u':
	case 'x':
	case 'X':
		emit_number(out, sp, fetch_unsigned(ap, sp->length), false);
		break;
	case 'p':
		emit_number(out, sp, (uintptr_t)va_arg(*ap, void *), false);
		break;
	case 's':
		s = va_arg(*ap, const char *);
		s = s ? s : "(null)";
		emit_text(out, sp, s,
			  sp->precision < 0 ? strlen(s) : strnlen(s, (size_t)sp->precision));
		break;
	case 'c':
		c = (char)va_arg(*ap, int);
		emit_text(out, sp, &c, 1);
		break;
	default:
		out_write(out, "%", 1);
	}
}

int vcbprintf(fmt_put_fn *put, void *ctx, const char *fmt, va_list ap)
{
	struct fmt_out out = {put, ctx, 0};
	struct fmt_spec sp;
	va_list args;

	va_copy(args, ap);
	while (*fmt) {
		const char *pct = strchr(fmt, '%');

		if (!pct) {
			out_write(&out, fmt, strlen(fmt));
			break;
		}
		out_write(&out, fmt, (size_t)(pct - fmt));
		fmt = pct + 1;
		if (parse_spec(&fmt, &args, &sp))
			emit_conversion(&out, &sp, &args);
		else
			out_write(&out, pct, (size_t)(fmt - pct)); /* unknown: as written */
	}
	va_end(args);
	return out.total > INT_MAX ? -1 : (int)out.total;
}

/* ---- bounded buffers ---- */

struct buf_sink {
	char *buf;
	size_t size, len; /* len: bytes stored, at most size - 1 */
};

static void buf_put(void *ctx, const char *s, size_t n)
{
	struct buf_sink *b = ctx;
	size_t room = b->size ? b->size - 1 - b->len : 0;

	if (n > room)
		n = room;
	if (!n)
		return;
	memcpy(b->buf + b->len, s, n);
	b->len += n;
}

int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt, va_list ap)
{
	struct buf_sink sink = {buf, size, 0};
	int n = vcbprintf(buf_put, &sink, fmt, ap);

	if (size)
		buf[sink.len] = '\0';
	return n;
}

int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
