/* SPDX-License-Identifier: MIT */
/* What btest's suites share (t_block.c). */
#pragma once

/* Start the ahci service (svc start) and wait until it runs; E_OK or an error. */
long bt_start_ahci(void);
/* The second process of block.block_two_processes (t_clients.c): 0 when all went right. */
int bt_client_main(int argc, char **argv);
