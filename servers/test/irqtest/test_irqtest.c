/* SPDX-License-Identifier: MIT */
/*
 * Host test of the irqtest protocol: the client stubs call through the fake
 * transport (fake_ipc.h) into server_dispatch and irqtest's real handlers,
 * which run over a fake machine (an IRQ that counts its firings, an ECAM
 * dword, a CMOS register, a DMA page). Checks each reply, a level IRQ's
 * ack, every missing handle and failing step, that FIRE is never resent
 * while the idempotent methods are, the names' packing and its limit, and
 * that the stubs refuse malformed replies.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "fake_ipc.h"
#include "irqtest.h"
#include "sys/errors.h"
#include "sys/sys.h"
#include "sys/units.h"

#define GSI	    10
#define PCI_ID	    0x29c08086u
#define CMOS_A	    0x26
#define DMA_PHYS    0x1234000ull
#define ECAM_BASE   0xb0000000ull
#define MANY	    100 /* handles whose names do not fit in one reply */
#define IRQ_HANDLE  0x21
#define NTFN_HANDLE 0x22

/* The fake machine's IRQ line and what the other steps give. */
static struct {
	uint64_t count, acks;
	uint32_t flags;
	int pending;
	long trigger_err, wait_err, ecam_err, dma_err;
} hw;

static long fake_trigger(handle_t irq)
{
	if (irq != IRQ_HANDLE)
		return E_BADHANDLE;
	if (hw.trigger_err)
		return hw.trigger_err;
	hw.count++;
	hw.pending = 1;
	return E_OK;
}

static long fake_wait(handle_t ntfn, uint64_t timeout)
{
	(void)timeout;
	if (ntfn != NTFN_HANDLE)
		return E_BADHANDLE;
	if (hw.wait_err || !hw.pending)
		return hw.wait_err ? hw.wait_err : E_TIMEOUT;
	hw.pending = 0;
	return IRQTEST_IRQ_BIT;
}

static long fake_info(handle_t irq, struct irq_info *out)
{
	*out = (struct irq_info){.gsi = GSI, .flags = hw.flags, .count = hw.count};
	return irq == IRQ_HANDLE ? E_OK : E_BADHANDLE;
}

static long fake_ack(handle_t irq)
{
	hw.acks++;
	return irq == IRQ_HANDLE ? E_OK : E_BADHANDLE;
}

static long fake_ecam(handle_t ecam, uint32_t *dword)
{
	(void)ecam;
	*dword = PCI_ID;
	return hw.ecam_err;
}

static long fake_cmos(handle_t ports, uint8_t reg, uint8_t *value)
{
	(void)ports;
	*value = reg == 0x0A ? CMOS_A : 0xFF;
	return E_OK;
}

static long fake_dma(handle_t dma, uint64_t *phys)
{
	(void)dma;
	*phys = DMA_PHYS;
	return hw.dma_err;
}

static const struct irqtest_machine machine = {
	fake_trigger, fake_wait, fake_info, fake_ack, fake_ecam, fake_cmos, fake_dma,
};

static struct start_handle handles[MANY] = {
	{"irqtest", 1, 0},   {"ns", 2, 0},   {"irq:10", IRQ_HANDLE, 0},
	{"ioport:70", 4, 2}, {"ecam", 5, 0}, {"dma", 6, 0},
};
static struct irqtest_state state;
static struct irqtest_server is = {&irqtest_ops, &state};
static struct server server;

static handle_t fresh_server(void)
{
	memset(&hw, 0, sizeof(hw));
	state = (struct irqtest_state){
		.machine = &machine,
		.irq = IRQ_HANDLE,
		.ntfn = NTFN_HANDLE,
		.ecam = 5,
		.ioport = 4,
		.dma = 6,
		.pci = {.ecam_base = ECAM_BASE, .bus_start = 0, .bus_end = 255},
		.handles = handles,
		.handle_count = 6,
		.pid = 77,
	};
	fake_ipc_reset();
	server = irqtest_server(0, &is);
	return fake_ipc_endpoint(&server, 9);
}

static void test_fire(void)
{
	handle_t ep = fresh_server();
	struct irqtest_fire_reply rp;

	CHECK_EQ(irqtest_fire(ep, &rp, TIMEOUT_NEVER), E_OK);
	CHECK_EQ(rp.count, 1);
	CHECK_EQ(rp.gsi, GSI);
	CHECK_EQ(rp.bits, IRQTEST_IRQ_BIT);
	CHECK_EQ(rp.pid, 77);
	CHECK_EQ(hw.acks, 0); /* an edge-triggered line needs none */
	hw.flags = IRQ_LEVEL;
	CHECK_EQ(irqtest_fire(ep, &rp, TIMEOUT_NEVER), E_OK);
	CHECK_EQ(rp.count, 2);
	CHECK_EQ(hw.acks, 1);
}

static void test_fire_failures(void)
{
	handle_t ep = fresh_server();
	struct irqtest_fire_reply rp;

	hw.trigger_err = E_RIGHTS;
	CHECK_EQ(irqtest_fire(ep, &rp, TIMEOUT_NEVER), E_RIGHTS);
	hw.trigger_err = 0;
	hw.wait_err = E_TIMEOUT; /* raised, never arrived */
	CHECK_EQ(irqtest_fire(ep, &rp, TIMEOUT_NEVER), E_TIMEOUT);
	hw.wait_err = 0;
	state.irq = IRQ_HANDLE + 7;
	CHECK_EQ(irqtest_fire(ep, &rp, TIMEOUT_NEVER), E_BADHANDLE);
	state.irq = IRQ_HANDLE;
	fake_ipc_fail_next(E_RESTARTED, 1, 1); /* fired, then the reply was lost */
	uint64_t calls = fake_ipc_stats.calls;
	CHECK_EQ(irqtest_fire(ep, &rp, TIMEOUT_NEVER), E_RESTARTED);
	CHECK_EQ(fake_ipc_stats.calls, calls + 1); /* not resent */
	CHECK_EQ(irqtest_fire(ep, &rp, TIMEOUT_NEVER), E_OK);
	CHECK_EQ(rp.count, 3); /* one for the failed wait, one for the lost reply */
}

static void test_handles(void)
{
	handle_t ep = fresh_server();
	struct irqtest_handles_reply rp;
	char names[128], small[20];
	const char *name = names;

	fake_ipc_fail_next(E_RESTARTED, IRQTEST_ATTEMPTS - 1, 0);
	CHECK_EQ(irqtest_handles(ep, &rp, names, sizeof(names), TIMEOUT_NEVER), E_OK);
	CHECK_EQ(rp.count, 6);
	for (uint32_t i = 0; i < 6; i++, name += strlen(name) + 1)
		CHECK(strcmp(name, handles[i].name) == 0);
	CHECK_EQ(irqtest_handles(ep, &rp, small, sizeof(small), TIMEOUT_NEVER), E_RANGE);
	state.handle_count = 0;
	CHECK_EQ(irqtest_handles(ep, &rp, small, sizeof(small), TIMEOUT_NEVER), E_OK);
	CHECK_EQ(rp.count, 0);
}

static void test_names_overflow(void)
{
	handle_t ep = fresh_server();
	struct irqtest_handles_reply rp;
	static char names[IPC_BUF_BYTES];

	for (int i = 6; i < MANY; i++)
		snprintf(handles[i].name, START_NAME_MAX, "devmem:%015x", i);
	state.handle_count = MANY; /* 2,199 bytes of names */
	CHECK_EQ(irqtest_handles(ep, &rp, names, sizeof(names), TIMEOUT_NEVER), E_NOSPACE);
	state.handle_count = 80; /* 1,739 */
	CHECK_EQ(irqtest_handles(ep, &rp, names, sizeof(names), TIMEOUT_NEVER), E_OK);
	CHECK_EQ(rp.count, 80);
}

static void test_probe(void)
{
	handle_t ep = fresh_server();
	struct irqtest_probe_reply rp;

	fake_ipc_fail_next(E_RESTARTED, 1, 1);
	CHECK_EQ(irqtest_probe(ep, &rp, TIMEOUT_NEVER), E_OK);
	CHECK_EQ(fake_ipc_stats.calls, 2);
	CHECK_EQ(rp.pci_id, PCI_ID);
	CHECK_EQ(rp.ecam_base, ECAM_BASE);
	CHECK_EQ(rp.buses, 0xFF00);
	CHECK_EQ(rp.cmos_status_a, CMOS_A);
	CHECK_EQ(rp.dma_phys, DMA_PHYS);
}

static void test_probe_failures(void)
{
	handle_t ep = fresh_server();
	struct irqtest_probe_reply rp;
	struct irqtest_state good = state;
	handle_t *missing[] = {&state.ecam, &state.ioport, &state.dma};

	for (size_t i = 0; i < ARRAY_SIZE(missing); i++) {
		*missing[i] = HANDLE_INVALID;
		CHECK_EQ(irqtest_probe(ep, &rp, TIMEOUT_NEVER), E_NOENT);
		state = good;
	}
	state.pci.ecam_base = 0; /* no MCFG */
	CHECK_EQ(irqtest_probe(ep, &rp, TIMEOUT_NEVER), E_NOENT);
	state = good;
	state.pci.bus_start = 1; /* 00:00.0 is not in the window */
	CHECK_EQ(irqtest_probe(ep, &rp, TIMEOUT_NEVER), E_NOENT);
	state = good;
	hw.ecam_err = E_RIGHTS;
	CHECK_EQ(irqtest_probe(ep, &rp, TIMEOUT_NEVER), E_RIGHTS);
	hw.ecam_err = 0;
	hw.dma_err = E_QUOTA;
	CHECK_EQ(irqtest_probe(ep, &rp, TIMEOUT_NEVER), E_QUOTA);
}

static void test_find(void)
{
	fresh_server();
	CHECK(irqtest_find(&state, "irq:") == &handles[2]);
	CHECK(irqtest_find(&state, "ioport:") == &handles[3]);
	CHECK(irqtest_find(&state, "framebuffer") == NULL);
}

/* A server that answers every method with `words` words and `bytes` bytes of names. */
static uint32_t bad_words, bad_bytes;

static long bad_reply(struct server_request *req)
{
	memset(req->msg.w, 0, sizeof(req->msg.w));
	req->msg.w[0] = 2; /* names: two */
	memcpy(req->buf->data, "one\0two", 8);
	req->msg.tag = IPC_TAG(0, bad_words, 0, bad_bytes);
	return E_OK;
}

static void test_malformed_replies(void)
{
	static const struct server_method methods[] = {
		{IRQTEST_FIRE, 0, bad_reply},
		{IRQTEST_HANDLES, 0, bad_reply},
		{IRQTEST_PROBE, 0, bad_reply},
	};
	struct server bad = {.methods = SERVER_METHODS(methods)};
	struct irqtest_fire_reply fire;
	struct irqtest_probe_reply probe;
	struct irqtest_handles_reply rp;
	char names[16];

	fake_ipc_reset();
	handle_t ep = fake_ipc_endpoint(&bad, 1);
	bad_words = 3;
	CHECK_EQ(irqtest_fire(ep, &fire, TIMEOUT_NEVER), E_PROTO);
	CHECK_EQ(irqtest_probe(ep, &probe, TIMEOUT_NEVER), E_PROTO);
	bad_words = 1;
	bad_bytes = 8;
	CHECK_EQ(irqtest_handles(ep, &rp, names, sizeof(names), TIMEOUT_NEVER), E_OK);
	bad_bytes = 4; /* one name where w0 says two */
	CHECK_EQ(irqtest_handles(ep, &rp, names, sizeof(names), TIMEOUT_NEVER), E_PROTO);
	bad_bytes = 7; /* the last name not terminated */
	CHECK_EQ(irqtest_handles(ep, &rp, names, sizeof(names), TIMEOUT_NEVER), E_PROTO);
}

int main(void)
{
	test_fire();
	test_fire_failures();
	test_handles();
	test_names_overflow();
	test_probe();
	test_probe_failures();
	test_find();
	test_malformed_replies();
	return check_summary("irqtest");
}
