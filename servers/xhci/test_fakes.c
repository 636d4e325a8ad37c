/* SPDX-License-Identifier: MIT */
/*
 * The system calls the input client library makes, faked for the host
 * tests (test_usb.c, test_input.c): a clock that advances by 1 ms each time
 * it is read, notifications that are numbers, handles duplicated as
 * themselves, and ns_lookup_self answering with the test's endpoint.
 */
#include "test_fakes.h"
#include "proto/input.h"
#include "sys/errors.h"
#include "sys/sys.h"

handle_t fake_input_ep = HANDLE_INVALID;
uint64_t fake_waits;
static uint64_t now;
static handle_t next_ntfn = 900;

uint64_t sys_clock(void)
{
	return now += 1000000;
}

long sys_ntfn_wait(handle_t ntfn, uint64_t timeout)
{
	(void)ntfn;
	fake_waits++;
	now += timeout;
	return E_TIMEOUT;
}

long sys_ntfn_create(void)
{
	return next_ntfn++;
}

long sys_handle_dup(handle_t h, uint32_t rights)
{
	(void)rights;
	return h;
}

long sys_handle_close(handle_t h)
{
	(void)h;
	return E_OK;
}

long ns_lookup_self(const char *name)
{
	(void)name;
	return fake_input_ep;
}

long sys_yield(void)
{
	return E_OK;
}

long sys_sleep(uint64_t ns)
{
	now += ns;
	return E_OK;
}
