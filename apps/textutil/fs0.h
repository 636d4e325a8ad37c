/* SPDX-License-Identifier: MIT */
/*
 * fs0 for a program (fs0.c): the fs protocol's client (proto/fs.h)
 * connected to the first filesystem, with its buffer mapped at FS0_VA.
 * The text utilities and sh use it.
 */
#pragma once

#include "proto/fs.h"

#define FS0_VA	  0x0000620000000000ull
#define FS0_BYTES (64u * 1024)

/* Connect c (once: a connected client is left as it is); E_OK or an error. */
long fs0_connect(struct fs_client *c);
