/* SPDX-License-Identifier: MIT */
/* The console protocol's server (lend.c): the console's lent commands for programs. */
#pragma once

#include "commands.h"
#include "sys/server.h"

/* The server for the "console" endpoint: env's handles serve the commands. */
struct server lend_server(handle_t ep, struct cmd_env *env);
