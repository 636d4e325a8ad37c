/* SPDX-License-Identifier: MIT */
/*
 * The echo protocol (methods 0x0400-0x04FF) of the echo test server
 * (servers/test/echo): a stateless service to crash, hang and restart.
 *
 * ECHO_ECHO (idempotent)
 *   request: up to six words and up to IPC_BUF_BYTES bytes
 *   reply:   w0-w4 = the first five words, each plus one; w5 = the
 *            server's pid (a new instance has a new one); the same bytes
 */
#pragma once

#define ECHO_PROTOCOL_BASE 0x0400
#define ECHO_ECHO	   0x0401
