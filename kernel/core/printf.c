/* SPDX-License-Identifier: MIT */
/*
 * Formatted output for the kernel. fmt_format is the single format engine;
 * ksnprintf and kvsnprintf bound it to a buffer and kprintf/klog send it to
 * the console.
 */
#include "kernel/printk.h"

#include "kernel/clock.h"
#include "kernel/spinlock.h"

struct fmt_spec {
	bool zero_pad;
	bool left;
	unsigned width;
	unsigned length; /* 0 = int, 1 = long, 2 = long long / size_t */
};

static void emit_padded(fmt_sink_fn sink, void *ctx, const char *s, size_t n,
			const struct fmt_spec *spec)
{
	char pad = spec->zero_pad && !spec->left ? '0' : ' ';
	size_t fill = spec->width > n ? spec->width - n : 0;

	if (!spec->left)
		while (fill--)
			sink(ctx, pad);
	for (size_t i = 0; i < n; i++)
		sink(ctx, s[i]);
	if (spec->left)
		while (fill--)
			sink(ctx, ' ');
}

static size_t format_unsigned(char *out, uint64_t v, unsigned base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	size_t n = 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	for (size_t i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	return n;
}

static void emit_number(fmt_sink_fn sink, void *ctx, char conv, uint64_t raw,
			const struct fmt_spec *spec)
{
	char buf[32];
	size_t n = 0;
	uint64_t v = raw;

	if (conv == 'd' || conv == 'i') {
		int64_t s = spec->length ? (int64_t)raw : (int64_t)(int32_t)raw;
		if (s < 0) {
			buf[n++] = '-';
			v = (uint64_t)0 - (uint64_t)s;
		} else {
			v = (uint64_t)s;
		}
	} else if (spec->length == 0) {
		v = (uint32_t)raw;
	}
	unsigned base = (conv == 'x' || conv == 'X' || conv == 'p') ? 16 : 10;
	if (conv == 'p') {
		buf[n++] = '0';
		buf[n++] = 'x';
	}
	n += format_unsigned(buf + n, v, base, conv == 'X');
	emit_padded(sink, ctx, buf, n, spec);
}

static const char *parse_spec(const char *f, struct fmt_spec *spec)
{
	*spec = (struct fmt_spec){0};
	for (;; f++) {
		if (*f == '0')
			spec->zero_pad = true;
		else if (*f == '-')
			spec->left = true;
		else
			break;
	}
	while (*f >= '0' && *f <= '9')
		spec->width = spec->width * 10 + (unsigned)(*f++ - '0');
	while (*f == 'l' || *f == 'z') {
		spec->length = *f == 'z' ? 2 : spec->length + 1;
		f++;
	}
	return f;
}

void fmt_format(fmt_sink_fn sink, void *ctx, const char *fmt, va_list ap)
{
	struct fmt_spec spec;

	for (const char *f = fmt; *f; f++) {
		if (*f != '%') {
			sink(ctx, *f);
			continue;
		}
		f = parse_spec(f + 1, &spec);
		switch (*f) {
		case 'd':
		case 'i':
		case 'u':
		case 'x':
		case 'X':
			emit_number(sink, ctx, *f,
				    spec.length ? va_arg(ap, uint64_t) : va_arg(ap, unsigned),
				    &spec);
			break;
		case 'p':
			spec.length = 2;
			emit_number(sink, ctx, 'p', (uint64_t)(uintptr_t)va_arg(ap, void *), &spec);
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			size_t n = 0;
			if (!s)
				s = "(null)";
			while (s[n])
				n++;
			emit_padded(sink, ctx, s, n, &spec);
			break;
		}
		case 'c': {
			char c = (char)va_arg(ap, int);
			emit_padded(sink, ctx, &c, 1, &spec);
			break;
		}
		case '\0':
			return;
		default:
			sink(ctx, *f);
			break;
		}
	}
}

struct buf_sink {
	char *buf;
	size_t size;
	size_t len;
};

static void buf_putc(void *ctx, char c)
{
	struct buf_sink *b = ctx;
	if (b->len + 1 < b->size)
		b->buf[b->len] = c;
	b->len++;
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct buf_sink b = {buf, size, 0};

	fmt_format(buf_putc, &b, fmt, ap);
	if (size)
		buf[b.len < size ? b.len : size - 1] = '\0';
	return (int)b.len;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static struct spinlock console_lock;

static void console_sink(void *ctx, char c)
{
	(void)ctx;
	if (c == '\n')
		console_putc('\r');
	console_putc(c);
}

void console_write(const char *s, size_t n)
{
	bool irq = spin_lock_irqsave(&console_lock);
	for (size_t i = 0; i < n; i++)
		console_sink(NULL, s[i]);
	spin_unlock_irqrestore(&console_lock, irq);
}

void kvprintf(const char *fmt, va_list ap)
{
	bool irq = spin_lock_irqsave(&console_lock);
	fmt_format(console_sink, NULL, fmt, ap);
	spin_unlock_irqrestore(&console_lock, irq);
}

void kprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
}

void klog(const char *fmt, ...)
{
	uint64_t us = clock_ns() / 1000;
	va_list ap;

	kprintf("[%5lu.%06lu] ", (unsigned long)(us / 1000000), (unsigned long)(us % 1000000));
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
}
