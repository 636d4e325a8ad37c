/* SPDX-License-Identifier: MIT */
/* fs0 for a program (fs0.h): fs_connect with the place and size the programs use. */
#include "fs0.h"

#include "sys/units.h"

#define FS0_TIMEOUT (5000 * MS)

long fs0_connect(struct fs_client *c)
{
	return fs_connect(c, "fs0", FS0_VA, FS0_BYTES, FS0_TIMEOUT);
}
