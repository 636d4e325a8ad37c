/* SPDX-License-Identifier: MIT */
/*
 * Error messages as file tools print them ("cat: /nope: no such file or
 * directory"): the common file errors in the words users know, every other
 * code in the words of its sys/errors.h entry.
 */
#include "sys/errors.h"
#include "sys/vfs.h"

static const char *error_text(long err)
{
	switch (err) {
#define VFS_ERROR_TEXT(name, value, text)                                                          \
	case value:                                                                                \
		return text;
		SYS_ERROR_LIST(VFS_ERROR_TEXT)
#undef VFS_ERROR_TEXT
	default:
		return "unknown error";
	}
}

const char *vfs_strerror(long err)
{
	switch (err) {
	case E_NOENT:
		return "no such file or directory";
	case E_EXISTS:
		return "file exists";
	case E_NOSPACE:
		return "no space left (or too many open files)";
	case E_RIGHTS:
		return "not open for that";
	case E_INVAL:
		return "invalid name or argument";
	case E_BUSY:
		return "is a mount point";
	default:
		return error_text(err);
	}
}
