/* SPDX-License-Identifier: MIT */
/* What btest's suites share (t_block.c). */
#pragma once

/* Start the ahci service (svc start) and wait until it runs; E_OK or an error. */
long bt_start_ahci(void);
