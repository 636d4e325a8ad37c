/* SPDX-License-Identifier: MIT */
/*
 * console: the serial console. A ring-3 driver for COM1 (uart.c) whose
 * line is the terminal of /bin/sh (session.c), and, while sh cannot start,
 * of the rescue shell: the shell core (shell/shell.h) with the commands of
 * commands.h.
 *
 * Three threads. The console thread owns the UART's input and the rescue
 * shell: it waits on one notification for the UART's IRQ (line 4, bound to
 * the notification), for the end of a program started by `run` and for the
 * rescue shell taking the line, reads every byte that has arrived, and
 * gives them to sh or else to the rescue shell, which echoes and runs
 * commands; output goes out by polling. The session thread starts sh and
 * copies its output to the line. The main thread serves the "console" endpoint
 * with server_run, which answers the supervisor's heartbeat and fault
 * injection. They are apart because a command may block in a call (to the
 * supervisor, the loader) while the supervisor calls us: `svc fi console
 * crash` typed here must reach the server thread while the shell waits.
 *
 * Handles (manifest): irq:4, ioport:3f8, ecam (+ start_info's pci), and
 * ioport:cf8 for lspci without ECAM; loader and svc for the commands.
 * Recovery: stateless. A new instance prints a banner and starts a fresh
 * sh; the old sh reads end-of-stream and exits. A line being typed when the
 * old one died is lost, a program it was running runs on unwatched.
 */
#include "commands.h"
#include "lend.h"
#include "session.h"
#include "sys/device.h"
#include "sys/server.h"
#include "sys/start.h"
#include "sys/stdio.h"
#include "sys/sys.h"
#include "sys/thread.h"
#include "uart.h"

#define EV_UART	       1ull /* the UART's IRQ */
#define EV_JOB	       2ull /* a program started by run has ended */
#define EV_RESCUE      4ull /* sh cannot start: the rescue shell has the line */
#define SHELL_PRIORITY 16
#define READ_CHUNK     64
#define ECAM_BUS_BYTES (1ull << 20)

static const char banner[] =
	"\r\nconsole: shell on COM1: /bin/sh, or the rescue shell without it\r\n";

static struct shell sh;
static struct cmd_env env;

static void write_serial(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	uart_write(s, n);
}

/* Feed every byte the UART holds to the shell. */
static void read_input(void)
{
	uint8_t buf[READ_CHUNK];
	size_t n;

	do {
		n = uart_read(buf, sizeof(buf));
		if (session_input(buf, n))
			continue; /* sh has the line: the bytes are its stdin */
		for (size_t i = 0; i < n; i++)
			shell_input(&sh, buf[i]);
	} while (n == sizeof(buf));
}

static void console_thread(void *arg)
{
	(void)arg;
	read_input(); /* typed before the IRQ was bound: no edge will come for it */
	for (;;) {
		long bits = sys_ntfn_wait(env.events, TIMEOUT_NEVER);
		if (bits < 0) {
			printf("console: cannot wait for input: %s\n", sys_error_name(bits));
			sys_process_exit(1);
		}
		if (bits & EV_UART)
			read_input();
		if (bits & EV_JOB)
			cmd_job_finished(&sh);
		if (bits & EV_RESCUE)
			shell_prompt(&sh);
	}
}

/* What the commands get: the handles the manifest lists, where present. */
static void find_command_handles(void)
{
	uint32_t size = 0;

	env.loader = start_handle("loader", NULL);
	env.svc = start_handle("svc", NULL);
	env.pci_ports = start_handle("ioport:cf8", NULL);
	env.ecam = start_handle("ecam", &size);
	env.pci = start_info()->pci;
	env.ecam_size =
		size ? size : (uint64_t)(env.pci.bus_end - env.pci.bus_start + 1) * ECAM_BUS_BYTES;
	env.job_bit = EV_JOB;
	env.priority = SHELL_PRIORITY;
	env.job.process = HANDLE_INVALID;
	env.retry_sh = session_retry_now;
}

/* The UART: ports open, the IRQ bound to our notification, receiving. */
static long setup_uart(void)
{
	handle_t ports = start_handle("ioport:3f8", NULL);
	handle_t irq = start_handle("irq:4", NULL);

	if (ports == HANDLE_INVALID || irq == HANDLE_INVALID) {
		printf("console: the manifest grants no irq:4 and ioport:3f8\n");
		return E_NOENT;
	}
	long err = sys_ioport_enable(ports);
	if (err == E_OK)
		err = uart_init(UART_COM1_BASE);
	if (err < 0)
		return err;
	long events = sys_ntfn_create();
	if (events < 0)
		return events;
	env.events = (handle_t)events;
	err = sys_irq_bind(irq, env.events, EV_UART);
	if (err == E_OK)
		uart_enable_rx_irq();
	return err;
}

/* The session thread: sh cannot start, the rescue shell takes the line. */
static void rescue(void)
{
	sys_ntfn_signal(env.events, EV_RESCUE);
}

static long setup_shell(void)
{
	const struct shell_config cfg = {
		.commands = cmd_table,
		.command_count = cmd_table_count,
		.prompt = "$ ",
		.write = write_serial,
		.interrupt = cmd_job_interrupt,
		.ctx = &env,
	};
	return shell_init(&sh, &cfg);
}

int main(void)
{
	handle_t ep = start_handle("console", NULL);
	long err = ep == HANDLE_INVALID ? E_NOENT : E_OK;

	find_command_handles();
	if (err == E_OK)
		err = setup_uart();
	if (err == E_OK)
		err = setup_shell();
	if (err == E_OK)
		err = thread_spawn(console_thread, NULL, SHELL_PRIORITY, NULL);
	if (err == E_OK) {
		uart_write(banner, sizeof(banner) - 1);
		err = session_start(SHELL_PRIORITY, rescue);
	}
	if (err < 0) {
		printf("console: cannot start: %s\n", sys_error_name(err));
		return 1;
	}
	struct server s = lend_server(ep, &env);
	return (int)server_run(&s);
}
