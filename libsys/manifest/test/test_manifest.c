/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests for the service manifest parser (libsys/manifest/manifest.c): a
 * good bundle read field by field, one with the PCI keys (pci, pci_class,
 * msi, msix) likewise, one table entry per error (with the line it must
 * name and words its message must hold), the texts cut at every length,
 * and random mutations. Every input is handed over in an exact-size
 * heap copy without a terminating NUL, so ASan catches any read past the end.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../include/manifest/manifest.h"
#include "check.h"
#include "rng.h"
#include "sys/units.h"

#define FUZZ_ROUNDS 40000

static const char good[] = "# the services bundle\n"
			   "[loader]\n"
			   "binary = loader\n"
			   "priority = 20\n"
			   "serves = loader          # endpoints it receives on\n"
			   "calls = ns\n"
			   "quota = 4096\n"
			   "restart = always\n"
			   "recovery = stateless\n"
			   "heartbeat_ms = 500\n"
			   "\n"
			   "[counter]\r\n"
			   "binary=counter\r\n"
			   "serves = counter, counter2\n"
			   "calls = loader svc\n"
			   "restart = on-failure\n"
			   "recovery = memory\n"
			   "autostart = no\n"
			   "irq = 1, 12\n"
			   "ioport = 0x60-0x64, 0x3f8\n"
			   "devmem = 0xfee00000+0x1000, framebuffer 0xfed00000-0xfed01fff\n"
			   "dma = yes\n"
			   "[ lone ]\n"
			   "devmem = ecam\n"
			   "binary = x.y-z_1\n"
			   "restart = never\n"
			   "recovery = rebuild\n"
			   "calls =\n"
			   "state_pages = 3";

static const char pci_good[] = "[xhci]\n"
			       "binary = xhci\n"
			       "pci = 1b36:000D\n"
			       "msix = 2\n"
			       "dma = yes\n"
			       "[ahci]\n"
			       "binary = ahci\n"
			       "pci_class = 01:06:01   # SATA, AHCI\n"
			       "pci = 8086:2922\n"
			       "msi = 4\n"
			       "[gpu]\n"
			       "binary = gpu\n"
			       "pci_class = 3:0\n";

static int parse(const char *text, size_t len, struct manifest *out, size_t max,
		 struct manifest_error *err)
{
	char *copy = malloc(len ? len : 1); /* exact size: no NUL after the text */
	memcpy(copy, text, len);
	int n = manifest_parse(copy, len, out, max, err);
	free(copy);
	return n;
}

static void test_good(void)
{
	struct manifest m[MANIFEST_MAX_SERVICES];
	struct manifest_error err;
	int n = parse(good, strlen(good) - strlen("state_pages = 3"), m, MANIFEST_MAX_SERVICES,
		      &err);

	CHECK_EQ(n, 3);
	if (n != 3) {
		fprintf(stderr, "line %u: %s\n", err.line, err.text);
		return;
	}
	CHECK(strcmp(m[0].name, "loader") == 0 && strcmp(m[0].binary, "loader") == 0);
	CHECK_EQ(m[0].line, 2);
	CHECK_EQ(m[0].priority, 20);
	CHECK_EQ(m[0].serves_count, 1);
	CHECK(strcmp(m[0].serves[0], "loader") == 0);
	CHECK(m[0].calls_count == 1 && strcmp(m[0].calls[0], "ns") == 0);
	CHECK_EQ(m[0].quota_pages, 4096);
	CHECK_EQ(m[0].restart, MANIFEST_RESTART_ALWAYS);
	CHECK_EQ(m[0].recovery, MANIFEST_RECOVERY_STATELESS);
	CHECK_EQ(m[0].heartbeat_ms, 500);
	CHECK_EQ(m[0].autostart, 1);
	CHECK_EQ(m[0].state_pages, 0);

	CHECK(strcmp(m[1].name, "counter") == 0 && strcmp(m[1].binary, "counter") == 0);
	CHECK(m[1].serves_count == 2 && strcmp(m[1].serves[1], "counter2") == 0);
	CHECK(m[1].calls_count == 2 && strcmp(m[1].calls[1], "svc") == 0);
	CHECK_EQ(m[1].priority, 10); /* the defaults */
	CHECK_EQ(m[1].quota_pages, 1024);
	CHECK_EQ(m[1].heartbeat_ms, 0);
	CHECK_EQ(m[1].restart, MANIFEST_RESTART_ON_FAILURE);
	CHECK_EQ(m[1].recovery, MANIFEST_RECOVERY_MEMORY);
	CHECK_EQ(m[1].state_pages, 1);
	CHECK_EQ(m[1].autostart, 0);
	CHECK(m[1].irq_count == 2 && m[1].irqs[0] == 1 && m[1].irqs[1] == 12);
	CHECK_EQ(m[1].ioport_count, 2);
	CHECK(m[1].ioports[0].base == 0x60 && m[1].ioports[0].size == 5);
	CHECK(m[1].ioports[1].base == 0x3f8 && m[1].ioports[1].size == 1);
	CHECK(m[1].devmem_count == 2 && m[1].devmem[0].base == 0xfee00000 &&
	      m[1].devmem[0].size == 0x1000);
	CHECK(m[1].devmem[1].base == 0xfed00000 && m[1].devmem[1].size == 0x2000);
	CHECK(m[1].framebuffer && !m[1].ecam && m[1].dma);
	CHECK(!m[0].framebuffer && !m[0].ecam && !m[0].dma); /* the defaults */
	CHECK_EQ(manifest_handle_count(&m[0]), 2);	     /* loader, ns */
	CHECK_EQ(manifest_handle_count(&m[1]), 14); /* 2 + 2 + ns + state + 2 + 2 + 1 + 2 + 1 */

	CHECK(strcmp(m[2].name, "lone") == 0 && strcmp(m[2].binary, "x.y-z_1") == 0);
	CHECK_EQ(m[2].restart, MANIFEST_RESTART_NEVER);
	CHECK_EQ(m[2].recovery, MANIFEST_RECOVERY_REBUILD);
	CHECK_EQ(m[2].calls_count, 0);
	CHECK(m[2].ecam && !m[2].framebuffer && m[2].devmem_count == 0);
	CHECK_EQ(manifest_handle_count(&m[2]), 2); /* ns, ecam */
	CHECK(strcmp(manifest_restart_name(1), "on-failure") == 0);
	CHECK(strcmp(manifest_recovery_name(2), "memory") == 0);
	CHECK(strcmp(manifest_recovery_name(9), "?") == 0);
	CHECK_EQ(parse("", 0, m, MANIFEST_MAX_SERVICES, &err), 0);
	CHECK_EQ(parse("# nothing\n\n", 11, m, MANIFEST_MAX_SERVICES, &err), 0);
}

static void test_pci_keys(void)
{
	struct manifest m[MANIFEST_MAX_SERVICES];
	struct manifest_error err;
	int n = parse(pci_good, strlen(pci_good), m, MANIFEST_MAX_SERVICES, &err);

	CHECK_EQ(n, 3);
	if (n != 3) {
		fprintf(stderr, "line %u: %s\n", err.line, err.text);
		return;
	}
	const struct manifest_pci *x = &m[0].pci, *a = &m[1].pci, *g = &m[2].pci;
	CHECK(x->match == MANIFEST_PCI_ID && x->vendor == 0x1B36 && x->device == 0x000D);
	CHECK(x->msix == 2 && x->msi == 0);
	CHECK_EQ(manifest_handle_count(&m[0]), 1 + 1 + 6 + 2 + 1); /* ns, config, 6 BARs, 2, dma */
	CHECK_EQ(a->match, MANIFEST_PCI_ID | MANIFEST_PCI_CLASS | MANIFEST_PCI_PROG_IF);
	CHECK(a->class_code == 0x01 && a->subclass == 0x06 && a->prog_if == 0x01);
	CHECK(a->vendor == 0x8086 && a->device == 0x2922 && a->msi == 4 && a->msix == 0);
	CHECK(g->match == MANIFEST_PCI_CLASS && g->class_code == 3 && g->subclass == 0);
	CHECK_EQ(manifest_pci_handle_count(&m[2]), 7);
	CHECK(m[0].dma && !m[2].dma);
	CHECK_EQ(parse(good, strlen(good) - strlen("state_pages = 3"), m, MANIFEST_MAX_SERVICES,
		       &err),
		 3);
	CHECK_EQ(m[0].pci.match, 0); /* no pci keys: no function */
	CHECK_EQ(manifest_pci_handle_count(&m[0]), 0);
}

struct bad_case {
	const char *text;
	uint32_t line;
	const char *words; /* must appear in the message */
};

static const struct bad_case bad_cases[] = {
	{"[a]\nbinary = a\nfoo = 1\n", 3, "unknown key 'foo'"},
	{"binary = a\n", 1, "outside a [name] section"},
	{"[a]\nbinary = a\npriority = 3x\n", 3, "priority: bad number '3x'"},
	{"[a]\nbinary = a\npriority = 32\n", 3, "out of range"},
	{"[a]\nbinary = a\nquota = 0\n", 3, "quota: 0 out of range"},
	{"[a]\nbinary = a\nquota = 99999999999999999999999\n", 3, "bad number"},
	{"[a]\nbinary = a\nquota = 0x\n", 3, "bad number"},
	{"[a]\nbinary = a\nquota = -1\n", 3, "bad number"},
	{"[a]\nbinary = a\nheartbeat_ms = 60001\n", 3, "heartbeat_ms"},
	{"[a]\nbinary = abcdefghijklmnop\n", 2, "too long (max 15"},
	{"[abcdefghijklmnopqrstuvwxyz0123456789]\n", 1, "too long"},
	{"[a b]\nbinary = a\n", 1, "bad character in service name"},
	{"[a]\nbinary = a/b\n", 2, "bad character in binary"},
	{"[a]\nbinary = a\nbinary = b\n", 3, "duplicate key 'binary'"},
	{"[a]\nbinary = a\n[a]\nbinary = a\n", 3, "duplicate service 'a'"},
	{"[a]\npriority = 1\n\n[b]\nbinary = b\n", 1, "service 'a' has no binary"},
	{"[a]\nbinary = a\n[b]\npriority = 1\n", 3, "service 'b' has no binary"},
	{"[a]\nbinary =\n", 2, "binary: empty value"},
	{"[a]\nbinary = a\nrestart = sometimes\n", 3, "restart: unknown value 'sometimes'"},
	{"[a]\nbinary = a\nrecovery = magic\n", 3, "recovery: unknown value"},
	{"[a]\nbinary = a\nautostart = maybe\n", 3, "autostart"},
	{"[a]\nbinary = a\nstate_pages = 2\n", 1, "state_pages needs recovery = memory"},
	{"[a]\nbinary = a\nrecovery = memory\nstate_pages = 0\n", 4, "state_pages"},
	{"[a]\nbinary = a\nserves = e, e\n", 3, "'e' listed twice"},
	{"[a]\nbinary = a\nserves = a b c d e f g h i\n", 3, "serves: too many entries (max 8)"},
	{"[a]\nbinary = a\n\ncalls = a,b,c,d,e,f,g,h,i\n", 4, "calls: too many entries (max 8)"},
	{"[a]\nbinary = a\nserves = ns\n", 3, "reserved name"},
	{"[a]\nbinary = a\nserves = state\n", 3, "reserved name"},
	{"[a]\nbinary = a\nserves = e\n[b]\nbinary = b\nserves = e\n", 4,
	 "endpoint 'e' is served by both 'a' and 'b'"},
	{"[a]\nbinary = a\n\ncalls = nobody\n", 4, "'a' calls 'nobody', which no service serves"},
	{"[a]\nbinary = a\nirq = 192\n", 3, "irq"},
	{"[a]\nbinary = a\nirq = 1 2 3 4 5 6 7 8 9\n", 3, "irq: too many entries"},
	{"[a]\nbinary = a\nioport = 0x64-0x60\n", 3, "ioport"},
	{"[a]\nbinary = a\nioport = 0x10000\n", 3, "ioport"},
	{"[a]\nbinary = a\nirq = 4, 4\n", 3, "irq: 4 listed twice"},
	{"[a]\nbinary = a\nioport = 0x60-0x64, 0x64\n", 3, "'0x64' overlaps an earlier range"},
	{"[a]\nbinary = a\ndevmem = 0x1000\n", 3, "expected framebuffer, ecam, first-last"},
	{"[a]\nbinary = a\ndevmem = gpu\n", 3, "got 'gpu'"},
	{"[a]\nbinary = a\ndevmem = 0x1000-0x1ffe\n", 3, "not whole pages"},
	{"[a]\nbinary = a\ndevmem = 0x2000-0x1fff\n", 3, "out of range"},
	{"[a]\nbinary = a\ndevmem = 0-0xffffffffffffffff\n", 3, "not whole pages"},
	{"[a]\nbinary = a\ndevmem = 0x1000-0x2fff 0x2000+0x1000\n", 3, "overlaps"},
	{"[a]\nbinary = a\ndevmem = framebuffer ecam framebuffer\n", 3,
	 "'framebuffer' listed twice"},
	{"[a]\nbinary = a\ndma = maybe\n", 3, "dma: unknown value 'maybe'"},
	{"[a]\nbinary = a\ndma =\n", 3, "dma: empty value"},
	{"[a]\nbinary = a\nserves = framebuffer\n", 3, "reserved name"},
	{"[a]\nbinary = a\nserves = s1 s2 s3 s4 s5 s6 s7 s8\nirq = 1 2 3 4 5 6 7 8\n"
	 "ioport = 1 2 3 4 5 6 7 8\ndma = yes\n"
	 "devmem = framebuffer ecam 0x1000+0x1000 0x2000+0x1000 0x3000+0x1000 0x4000+0x1000\n"
	 "recovery = memory\n",
	 1, "service 'a' would get 33 start handles (max 32)"},
	{"[a]\nbinary = a\ndevmem = 0x1001+0x1000\n", 3, "not whole pages"},
	{"[a]\nbinary = a\ndevmem = 0xfffffffffffff000+0x2000\n", 3, "not whole pages"},
	{"[a]\nbinary = a\nno equals sign\n", 3, "expected 'key = value'"},
	{"[a]\nbinary = a\npci = 1b36\n", 3, "pci: expected vendor:device"},
	{"[a]\nbinary = a\npci = 1b36:000d:1\n", 3, "pci: expected vendor:device"},
	{"[a]\nbinary = a\npci = 1b36:\n", 3, "pci: expected vendor:device"},
	{"[a]\nbinary = a\npci = :000d\n", 3, "pci: expected vendor:device"},
	{"[a]\nbinary = a\npci = 0x1b36:0x000d\n", 3, "got '0x1b36:0x000d'"},
	{"[a]\nbinary = a\npci = 11b36:000d\n", 3, "pci: expected vendor:device"},
	{"[a]\nbinary = a\npci = 1b36:g00d\n", 3, "pci: expected vendor:device"},
	{"[a]\nbinary = a\npci = ffff:0001\n", 3, "vendor ffff is not a vendor"},
	{"[a]\nbinary = a\npci = 0:0001\n", 3, "vendor 0000 is not a vendor"},
	{"[a]\nbinary = a\npci = 1b36:000d 1b36:000e\n", 3, "pci: expected vendor:device"},
	{"[a]\nbinary = a\npci =\n", 3, "pci: empty value"},
	{"[a]\nbinary = a\npci = 1:2\npci = 1:2\n", 4, "duplicate key 'pci'"},
	{"[a]\nbinary = a\npci_class = 0c\n", 3, "pci_class: expected class:subclass"},
	{"[a]\nbinary = a\npci_class = 0c:03:30:01\n", 3, "pci_class: expected"},
	{"[a]\nbinary = a\npci_class = 10c:03\n", 3, "pci_class: expected"},
	{"[a]\nbinary = a\npci_class = 0c::30\n", 3, "pci_class: expected"},
	{"[a]\nbinary = a\npci = 1:2\nmsi = 3\n", 4, "msi: 3 is not a power of two"},
	{"[a]\nbinary = a\npci = 1:2\nmsi = 0\n", 4, "msi: 0 out of range"},
	{"[a]\nbinary = a\npci = 1:2\nmsi = 64\n", 4, "msi: 64 out of range"},
	{"[a]\nbinary = a\npci = 1:2\nmsix = 17\n", 4, "msix: 17 out of range"},
	{"[a]\nbinary = a\npci = 1:2\nmsix = 0\n", 4, "msix: 0 out of range"},
	{"[a]\nbinary = a\npci = 1:2\nmsix = two\n", 4, "msix: bad number 'two'"},
	{"[a]\nbinary = a\nmsix = 2\n", 1, "msi or msix needs pci or pci_class"},
	{"[a]\nbinary = a\nmsi = 1\n[b]\nbinary = b\n", 1, "needs pci or pci_class"},
	{"[a]\nbinary = a\npci = 1:2\nmsi = 1\nmsix = 1\n", 1, "msi and msix together"},
	{"[a]\nbinary = a\nserves = pci.bar0\n", 3, "reserved name"},
	{"[a]\nbinary = a\nserves = irq.msix0\n", 3, "reserved name"},
	{"[a]\nbinary = a\nserves = s1 s2 s3 s4 s5 s6 s7 s8\ncalls = c1\npci = 1:2\nmsix = 16\n", 1,
	 "would get 33 start handles (max 32)"},
	{"[a\n", 1, "expected ']'"},
	{"[]\n", 1, "empty service name"},
	{"[a]\n= 1\n", 2, "unknown key ''"},
	{"[a]\nbinary = a\nthis_key_is_far_too_long_to_print_in_full = 1\n", 3,
	 "unknown key 'this_key_is_far_too_long'"},
};

static void test_errors(void)
{
	struct manifest m[MANIFEST_MAX_SERVICES];
	struct manifest_error err;

	for (size_t i = 0; i < ARRAY_SIZE(bad_cases); i++) {
		const struct bad_case *c = &bad_cases[i];
		int n = parse(c->text, strlen(c->text), m, MANIFEST_MAX_SERVICES, &err);
		bool ok = n == -1 && err.line == c->line && strstr(err.text, c->words);
		if (!ok)
			fprintf(stderr, "case %zu: got %d, line %u: %s\n", i, n, err.line,
				err.text);
		CHECK(ok);
	}
	/* A NUL inside the text, and more services than the caller has room for. */
	CHECK_EQ(parse("[a]\nbinary = a\0b\n", 17, m, MANIFEST_MAX_SERVICES, &err), -1);
	CHECK(err.line == 2 && strstr(err.text, "NUL byte"));
	CHECK_EQ(parse("[a]\nbinary=a\n[b]\nbinary=b\n", 26, m, 1, &err), -1);
	CHECK(err.line == 3 && strstr(err.text, "too many services (max 1)"));
	/* Exactly as many start handles as an instance can hold. */
	static const char full[] =
		"[a]\nbinary = a\nserves = s1 s2 s3 s4 s5 s6 s7 s8\nirq = 1 2 3 4 5 6 7 8\n"
		"ioport = 1 2 3 4 5 6 7 8\ndma = yes\n"
		"devmem = framebuffer ecam 0x1000+0x1000 0x2000+0x1000 0x3000+0x1000 "
		"0x4000+0x1000\n";
	CHECK_EQ(parse(full, strlen(full), m, MANIFEST_MAX_SERVICES, &err), 1);
	CHECK_EQ(manifest_handle_count(&m[0]), MANIFEST_MAX_HANDLES);
}

/* A bundle of `n` services: [s<i>], each serving e<i> and calling up to `calls` of the others. */
static size_t bundle_of(char *buf, size_t size, int n, int calls)
{
	size_t used = 0;

	for (int i = 0; i < n; i++) {
		used += (size_t)snprintf(buf + used, size - used,
					 "[s%d]\nbinary = b\nserves = e%d\n", i, i);
		used += (size_t)snprintf(buf + used, size - used, "calls =");
		for (int j = 0; j < calls && j < n; j++)
			used += (size_t)snprintf(buf + used, size - used, " e%d", (i + 1 + j) % n);
		used += (size_t)snprintf(buf + used, size - used, "\n");
	}
	return used;
}

/* The limits of a bundle: exactly at each is fine, one past it an error naming its line. */
static void test_limits(void)
{
	static struct manifest m[MANIFEST_MAX_SERVICES];
	static char text[16384];
	struct manifest_error err;
	size_t len = bundle_of(text, sizeof(text), MANIFEST_MAX_SERVICES, MANIFEST_MAX_ENDPOINTS);

	CHECK_EQ(parse(text, len, m, MANIFEST_MAX_SERVICES, &err), MANIFEST_MAX_SERVICES);
	CHECK_EQ(m[MANIFEST_MAX_SERVICES - 1].calls_count, MANIFEST_MAX_ENDPOINTS);
	len = bundle_of(text, sizeof(text), MANIFEST_MAX_SERVICES + 1, 1);
	CHECK_EQ(parse(text, len, m, MANIFEST_MAX_SERVICES, &err), -1);
	CHECK_EQ(err.line, 4 * MANIFEST_MAX_SERVICES + 1); /* the 33rd [name] */
	CHECK(strstr(err.text, "too many services (max 32)") != NULL);
	/* Asking for more room than the parser has is the same limit, not an overrun. */
	CHECK_EQ(parse(text, len, m, MANIFEST_MAX_SERVICES + 5, &err), -1);
	CHECK(strstr(err.text, "too many services (max 32)") != NULL);
	static const char serves[] = "[a]\nbinary = a\nserves = a1 a2 a3 a4 a5 a6 a7 a8\n";
	CHECK_EQ(parse(serves, strlen(serves), m, MANIFEST_MAX_SERVICES, &err), 1);
	CHECK_EQ(m[0].serves_count, MANIFEST_MAX_ENDPOINTS);
	CHECK_EQ(manifest_handle_count(&m[0]), MANIFEST_MAX_ENDPOINTS + 1); /* and ns */
}

/* The text cut at every length: a result or a clean error, never a crash. */
static void test_truncation(void)
{
	struct manifest m[MANIFEST_MAX_SERVICES];
	struct manifest_error err;
	int results = 0, errors = 0;

	for (size_t len = 0; len <= strlen(good); len++) {
		int n = parse(good, len, m, MANIFEST_MAX_SERVICES, &err);
		if (n >= 0) {
			results++;
			CHECK(n <= 3);
		} else {
			errors++;
			CHECK(err.line >= 1 && err.line <= 29);
			CHECK(memchr(err.text, '\0', sizeof(err.text)) && err.text[0]);
		}
	}
	CHECK(results > 0 && errors > 0);
	for (size_t len = 0; len <= strlen(pci_good); len++) {
		int n = parse(pci_good, len, m, MANIFEST_MAX_SERVICES, &err);
		CHECK(n >= 0 || (err.line >= 1 && err.line <= 13 && err.text[0]));
		for (int i = 0; i < n; i++)
			CHECK(!(m[i].pci.msi && m[i].pci.msix) &&
			      (m[i].pci.match || !(m[i].pci.msi | m[i].pci.msix)));
	}
}

static const char fuzz_chars[] = "[]=#,-+: \n\r\t0x9azZ_.\0\xff";

static void mutate(char *buf, size_t *len, uint32_t *rng)
{
	int edits = 1 + (int)(xorshift32(rng) % 4);

	for (int i = 0; i < edits && *len; i++) {
		size_t at = xorshift32(rng) % *len;
		uint32_t kind = xorshift32(rng) % 3;
		char c = fuzz_chars[xorshift32(rng) % (sizeof(fuzz_chars) - 1)];
		if (kind == 0)
			buf[at] = c;
		else if (kind == 1)
			buf[at] = (char)xorshift32(rng);
		else /* drop a byte */
			memmove(buf + at, buf + at + 1, --*len - at);
	}
}

static void test_fuzz(void)
{
	struct manifest m[MANIFEST_MAX_SERVICES];
	struct manifest_error err;
	char buf[sizeof(good)];
	uint32_t rng = 0x5eed1234u;
	int parsed = 0;

	for (int round = 0; round < FUZZ_ROUNDS; round++) {
		size_t len = strlen(good) - strlen("state_pages = 3"); /* a good bundle */
		memcpy(buf, good, len);
		if (round % 2) { /* every other round, the PCI bundle */
			len = strlen(pci_good);
			memcpy(buf, pci_good, len);
		}
		mutate(buf, &len, &rng);
		int n = parse(buf, len, m, 1 + round % MANIFEST_MAX_SERVICES, &err);
		if (n >= 0) {
			parsed++;
			for (int i = 0; i < n; i++)
				CHECK(m[i].binary[0] && strlen(m[i].name) < MANIFEST_NAME_MAX);
		} else if (!memchr(err.text, '\0', sizeof(err.text)) || err.line == 0) {
			CHECK(false);
		}
	}
	printf("manifest fuzz: %d of %d mutated bundles parsed\n", parsed, FUZZ_ROUNDS);
	CHECK(parsed > 0);
}

int main(void)
{
	test_good();
	test_pci_keys();
	test_errors();
	test_limits();
	test_truncation();
	test_fuzz();
	return check_summary("manifest");
}
